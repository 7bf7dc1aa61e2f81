#include "platform/http/debug_routes.h"

#include <thread>

#include <Poco/JSON/Object.h>
#include <Poco/URI.h>

namespace ordersvc::api {

void addDebugRoutes(RouteTable& table) {
  table.add(
      {"GET", "/debug/sleep", Audience::Public, {}, kNoPolicy, [](const services::Actor&, const Request& request) {
         long ms = 0;
         for (const auto& [key, value] : Poco::URI("/?" + request.query).getQueryParameters()) {
           if (key != "ms") continue;
           try {
             ms = std::stol(value);
           } catch (const std::exception&) {
             return errorResponse(Error::invalidArgument("ms must be an integer"));
           }
         }
         if (ms < 0 || ms > 60000) return errorResponse(Error::invalidArgument("ms must be within [0, 60000]"));
         std::this_thread::sleep_for(std::chrono::milliseconds(ms));
         Poco::JSON::Object::Ptr data = new Poco::JSON::Object;
         data->set("slept_ms", ms);
         return successResponse(data);
       }});
}

}  // namespace ordersvc::api
