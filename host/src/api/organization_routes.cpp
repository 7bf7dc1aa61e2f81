#include "api/organization_routes.h"

#include <algorithm>
#include <sstream>

#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>
#include <Poco/UUIDGenerator.h>

#include "storage/clock_text.h"

namespace ordersvc::api {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr const char* kAdminRole = "order.admin";


// Admin of the platform (no org_id in the token) or of this organization.
Result<Principal> authorize(const Authenticator& authenticator, const Request& request, const std::string& organizationId) {
  auto principal = authenticator.require(request, kAdminRole);
  if (!principal) return principal;
  if (!principal->organizationId.empty() && principal->organizationId != organizationId) {
    // Same answer as a missing organization: a tenant cannot probe for others.
    return Error::notFound("organization " + organizationId + " not found");
  }
  return principal;
}

Object::Ptr parseBody(const Request& request) {
  auto value = Poco::JSON::Parser().parse(request.body.empty() ? "{}" : request.body);
  if (value.type() != typeid(Object::Ptr)) throw Poco::Exception("body must be a JSON object");
  return value.extract<Object::Ptr>();
}

Object::Ptr organizationJson(const domain::Organization& org) {
  Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("id", org.id);
  out->set("slug", org.slug);
  out->set("name", org.name);
  out->set("country", org.country);
  out->set("default_currency", org.defaultCurrency);
  out->set("status", org.status);
  out->set("created_at", org.createdAt);
  out->set("updated_at", org.updatedAt);
  return out;
}

Object::Ptr bindingJson(const plugins::BindingView& view) {
  const auto& b = view.binding;
  Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("instance_id", b.instanceId);
  out->set("organization_id", b.organizationId);
  out->set("plugin_id", b.pluginId);
  out->set("kind", b.kind);
  out->set("version_range", b.versionRange);
  out->set("enabled", b.enabled);
  out->set("config", Poco::JSON::Parser().parse(view.maskedConfigJson));
  if (!b.baseUrlOverride.empty()) out->set("base_url_override", b.baseUrlOverride);
  out->set("revision", b.revision);
  out->set("created_at", b.createdAt);
  out->set("updated_at", b.updatedAt);
  Object::Ptr status = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  status->set("state", view.status.state);
  if (!view.status.version.empty()) status->set("version", view.status.version);
  if (!view.status.reason.empty()) status->set("reason", view.status.reason);
  out->set("status", status);
  return out;
}

}  // namespace

void addOrganizationRoutes(Router& router, const Authenticator& authenticator,
                           services::OrganizationRepository& organizations, plugins::PluginBindingService& bindings,
                           plugins::PluginInstances& instances) {
  router.add("GET", "/api/v1/organizations", [&](const Request& request) {
    auto principal = authenticator.require(request, kAdminRole);
    if (!principal) return failureResponse(principal.error());
    if (!principal->organizationId.empty()) return failureResponse(Error{ErrorCode::PermissionDenied, "platform admins only"});
    auto list = organizations.list(std::nullopt, 500);
    if (!list) return failureResponse(list.error());
    Array::Ptr items = new Array;
    for (const auto& org : *list) items->add(organizationJson(org));
    return successResponse(items);
  });

  router.add("POST", "/api/v1/organizations", [&](const Request& request) {
    auto principal = authenticator.require(request, kAdminRole);
    if (!principal) return failureResponse(principal.error());
    if (!principal->organizationId.empty()) return failureResponse(Error{ErrorCode::PermissionDenied, "platform admins only"});
    domain::OrganizationDraft draft;
    std::string id;
    try {
      auto body = parseBody(request);
      draft.slug = body->optValue<std::string>("slug", "");
      draft.name = body->optValue<std::string>("name", "");
      draft.country = body->optValue<std::string>("country", "");
      draft.defaultCurrency = body->optValue<std::string>("default_currency", "");
      draft.status = body->optValue<std::string>("status", "active");
      id = body->optValue<std::string>("id", "");
    } catch (const Poco::Exception& e) {
      return failureResponse(Error::invalidArgument("invalid JSON body: " + e.message()));
    }
    auto valid = domain::validateOrganization(draft);
    if (!valid) return failureResponse(valid.error());
    if (id.empty()) {
      std::string uuid = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
      uuid.erase(std::remove(uuid.begin(), uuid.end(), '-'), uuid.end());
      id = "org_" + uuid.substr(0, 20);
    }
    auto created = organizations.create(id, *valid, storage::utcNowText());
    if (!created) return failureResponse(created.error());
    return successResponse(organizationJson(*created), 201);
  });

  router.add("GET", "/api/v1/organizations/{org_id}", [&](const Request& request) {
    const std::string& orgId = request.params.at("org_id");
    auto principal = authorize(authenticator, request, orgId);
    if (!principal) return failureResponse(principal.error());
    auto org = organizations.findById(orgId);
    if (!org) return failureResponse(org.error());
    return successResponse(organizationJson(*org));
  });

  router.add("GET", "/api/v1/organizations/{org_id}/plugins", [&](const Request& request) {
    const std::string& orgId = request.params.at("org_id");
    auto principal = authorize(authenticator, request, orgId);
    if (!principal) return failureResponse(principal.error());
    auto list = bindings.list(orgId);
    if (!list) return failureResponse(list.error());
    Array::Ptr items = new Array;
    for (const auto& view : *list) items->add(bindingJson(view));
    return successResponse(items);
  });

  router.add("GET", "/api/v1/organizations/{org_id}/plugins/{instance_id}", [&](const Request& request) {
    const std::string& orgId = request.params.at("org_id");
    auto principal = authorize(authenticator, request, orgId);
    if (!principal) return failureResponse(principal.error());
    auto view = bindings.get(orgId, request.params.at("instance_id"));
    if (!view) return failureResponse(view.error());
    return successResponse(bindingJson(*view));
  });

  router.add("PUT", "/api/v1/organizations/{org_id}/plugins/{instance_id}", [&](const Request& request) {
    const std::string& orgId = request.params.at("org_id");
    auto principal = authorize(authenticator, request, orgId);
    if (!principal) return failureResponse(principal.error());
    plugins::BindingInput input;
    try {
      auto body = parseBody(request);
      input.pluginId = body->optValue<std::string>("plugin_id", "");
      input.versionRange = body->optValue<std::string>("version_range", "*");
      input.enabled = body->optValue<bool>("enabled", true);
      input.baseUrlOverride = body->optValue<std::string>("base_url_override", "");
      if (body->has("config")) {
        auto config = body->getObject("config");
        if (!config) return failureResponse(Error::invalidArgument("config must be a JSON object"));
        std::ostringstream out;
        config->stringify(out);
        input.configJson = out.str();
      }
      if (body->has("revision")) input.expectedRevision = body->getValue<int64_t>("revision");
    } catch (const Poco::Exception& e) {
      return failureResponse(Error::invalidArgument("invalid JSON body: " + e.message()));
    }
    if (input.pluginId.empty()) return failureResponse(Error::invalidArgument("plugin_id is required"));
    if (!input.baseUrlOverride.empty()) {
      // The override redirects a plugin's traffic (and lifts the https-only rule): in a
      // tenant's hands it would be a way to make the host call arbitrary addresses.
      if (!principal->organizationId.empty()) {
        return failureResponse(Error{ErrorCode::PermissionDenied, "base_url_override is for platform admins"});
      }
      try {
        const Poco::URI base(input.baseUrlOverride);
        if ((base.getScheme() != "http" && base.getScheme() != "https") || base.getHost().empty()) {
          throw Poco::SyntaxException("not http(s)");
        }
      } catch (const Poco::Exception&) {
        return failureResponse(Error::invalidArgument("base_url_override must be an http(s) URL with a host"));
      }
    }
    auto view = bindings.put(orgId, request.params.at("instance_id"), input, storage::utcNowText());
    if (!view) return failureResponse(view.error());
    return successResponse(bindingJson(*view));
  });

  router.add("DELETE", "/api/v1/organizations/{org_id}/plugins/{instance_id}", [&](const Request& request) {
    const std::string& orgId = request.params.at("org_id");
    auto principal = authorize(authenticator, request, orgId);
    if (!principal) return failureResponse(principal.error());
    auto removed = bindings.remove(orgId, request.params.at("instance_id"));
    if (!removed) return failureResponse(removed.error());
    Object::Ptr data = new Object;
    data->set("deleted", request.params.at("instance_id"));
    return successResponse(data);
  });

  router.add("POST", "/api/v1/organizations/{org_id}/plugins/{instance_id}/invoke", [&](const Request& request) {
    const std::string& orgId = request.params.at("org_id");
    auto principal = authorize(authenticator, request, orgId);
    if (!principal) return failureResponse(principal.error());
    plugins::PluginCall call;
    try {
      auto body = parseBody(request);
      call.operation = body->optValue<std::string>("operation", "");
      auto payload = body->getObject("request");
      std::ostringstream out;
      if (payload) payload->stringify(out);
      call.requestJson = payload ? out.str() : "{}";
    } catch (const Poco::Exception& e) {
      return failureResponse(Error::invalidArgument("invalid JSON body: " + e.message()));
    }
    call.organizationId = orgId;
    call.instanceId = request.params.at("instance_id");
    call.requestId = request.requestId;
    const auto key = request.headers.find("idempotency-key");
    call.idempotencyKey = key != request.headers.end() ? key->second : request.requestId;
    auto result = instances.call(call);
    if (!result) return failureResponse(result.error());
    Object::Ptr data = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    data->set("plugin_id", result->pluginId);
    data->set("version", result->version);
    data->set("result", Poco::JSON::Parser().parse(result->json));
    return successResponse(data);
  });
}

}  // namespace ordersvc::api
