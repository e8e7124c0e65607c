// RFC 8842 §5.1 (RFC 4145 §4): "active" initiates the connection, "passive" accepts it, "actpass" lets the
// other end choose. For DTLS the active end sends the ClientHello.
#include "sdp/jsep.hpp"

namespace peerhub::sdp {

Result<DtlsRole> local_dtls_role(Setup local, Setup other) {
  if (local == Setup::holdconn || other == Setup::holdconn)
    return Error{0, "a=setup:holdconn: no DTLS connection"};
  if (local == Setup::active) {
    if (other == Setup::active) return Error{0, "both ends say a=setup:active"};
    return DtlsRole::client;
  }
  if (local == Setup::passive) {
    if (other == Setup::passive) return Error{0, "both ends say a=setup:passive"};
    return DtlsRole::server;
  }
  // This peer said actpass: the other end chose.
  if (other == Setup::actpass) return Error{0, "neither end took a role (actpass and actpass)"};
  return other == Setup::active ? DtlsRole::server : DtlsRole::client;
}

}  // namespace peerhub::sdp
