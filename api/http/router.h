// router.h: (method, path) -> endpoint, the one table of the service's paths.
#pragma once

#include <string>
#include <vector>

#include "api/http/metrics.h"

namespace folio::api::http {

struct Route {
  Endpoint endpoint = Endpoint::kOther;  // kOther: no such path
  std::string id;                        // {id} of /messages/{id}, /threads/{id}
};

// The route of decoded path `segments`:
//   /healthz /readyz /metrics
//   /api/v1/search  /api/v1/search.mbox  /api/v1/search.atom
//   /api/v1/messages/{message-id}  /api/v1/messages/{message-id}/raw
//   /api/v1/threads/{thread-id or message-id}  /api/v1/lists  /api/v1/openapi.json
// A Message-ID holding '/' must be sent with it percent-encoded (%2F).
// Angle brackets around an id are dropped.
Route route(const std::vector<std::string>& segments);

// Whether `method` may be used (GET and HEAD only).
bool allowed_method(const std::string& method);

// Endpoints answered on the I/O thread (no index access).
bool runs_inline(Endpoint endpoint);

}  // namespace folio::api::http
