#include <gtest/gtest.h>

#include "net/web_path.hpp"

namespace peerhub::net {
namespace {

TEST(WebPath, MapsOrdinaryTargets) {
  EXPECT_EQ(resolve_web_path("/"), "index.html");
  EXPECT_EQ(resolve_web_path("/index.html"), "index.html");
  EXPECT_EQ(resolve_web_path("/js/app.js"), "js/app.js");
  EXPECT_EQ(resolve_web_path("/js/app.js?v=3#x"), "js/app.js");
  EXPECT_EQ(resolve_web_path("/call/"), "call/index.html");
  EXPECT_EQ(resolve_web_path("//js//app.js"), "js/app.js");
  EXPECT_EQ(resolve_web_path("/my%20file.txt"), "my file.txt");
}

TEST(WebPath, RefusesTraversalInEveryEncoding) {
  for (const char* target :
       {"/../etc/passwd", "/js/../../etc/passwd", "/..", "/%2e%2e/etc/passwd", "/%2E%2E/etc/passwd",
        "/.%2e/etc/passwd", "/..%2fetc%2fpasswd", "/%2e%2e%2fetc", "/%252e%252e/etc/passwd",
        "/..\\etc\\passwd", "/%5c..%5cetc", "/a/./b", "/.hidden", "/.git/config"}) {
    EXPECT_FALSE(resolve_web_path(target).has_value()) << target;
  }
}

TEST(WebPath, RefusesMalformedTargets) {
  for (const char* target :
       {"", "index.html", "http://host/index.html", "/%", "/%2", "/%zz", "/a%00b", "/a\tb"}) {
    EXPECT_FALSE(resolve_web_path(target).has_value()) << target;
  }
  EXPECT_FALSE(resolve_web_path("/" + std::string(2000, 'a')).has_value());
}

TEST(WebPath, ContentTypes) {
  EXPECT_EQ(content_type_for("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("style.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("logo.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("shot.png"), "image/png");
  EXPECT_EQ(content_type_for("a.wasm"), "application/wasm");
  EXPECT_EQ(content_type_for("data.json"), "application/json");
  EXPECT_EQ(content_type_for("LICENSE"), "application/octet-stream");
  EXPECT_EQ(content_type_for("archive.tar.xz"), "application/octet-stream");
}

}  // namespace
}  // namespace peerhub::net
