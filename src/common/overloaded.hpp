// A visitor made of lambdas, for std::visit.
#pragma once

namespace peerhub {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
// C++20 deduces this by itself, but clang 14 (the fuzz build) still needs the guide.
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace peerhub
