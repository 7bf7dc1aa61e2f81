#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "platform/http/http_types.h"

namespace ordersvc::api {

// Maps (method, path) to a handler. Patterns are literal segments and `{name}`
// placeholders: "/api/v1/organizations/{org_id}". A path that matches a pattern but
// not its method is told apart from one that matches nothing, so the server can
// answer 405 with Allow instead of 404.
//
// Thread-safety: add() only before serving; match() is then safe from any thread.
class Router {
 public:
  // `routeName` labels metrics and logs; it is the pattern, never the raw path, so
  // ids do not explode label cardinality.
  void add(std::string method, std::string pattern, Handler handler);

  struct Match {
    enum class Kind { Found, NotFound, MethodNotAllowed } kind = Kind::NotFound;
    const Handler* handler = nullptr;
    std::string route;                          // the pattern matched ("" when none)
    std::map<std::string, std::string> params;  // placeholder values
    std::vector<std::string> allowed;           // for MethodNotAllowed, sorted
  };

  Match match(std::string_view method, std::string_view path) const;

  // A registered route as given to add().
  struct RouteInfo {
    std::string method;
    std::string pattern;
  };

  // Every registered route, in registration order. HEAD, which each GET route also
  // answers, is not listed separately. (For `ordersvc --print-routes` and the test that
  // compares the routes with api/openapi.json.)
  std::vector<RouteInfo> routes() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace ordersvc::api
