#include "modules/admin/organization_routes.h"

#include <algorithm>
#include <optional>
#include <sstream>
#include <string>

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>
#include <Poco/UUIDGenerator.h>

#include "domain/organization.h"
#include "platform/storage/clock_text.h"

namespace ordersvc::api {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using services::Actor;

// The table has checked role order.admin. An admin of one organization (org_id in its
// token) reaches only that one; a platform admin (no org_id) reaches any.
Status reachable(const Actor& admin, const std::string& organizationId) {
  if (!admin.organizationId.empty() && admin.organizationId != organizationId) {
    // Same answer as a missing organization: a tenant cannot probe for others.
    return Error::notFound("organization " + organizationId + " not found");
  }
  return Status::ok();
}

// Listing and creating organizations reaches across tenants.
Status platformAdmin(const Actor& admin) {
  if (!admin.organizationId.empty()) return Error::permissionDenied("platform admins only");
  return Status::ok();
}

// Not bodyOf(): these routes answer a malformed body with their own 400, "invalid JSON
// body: ...", from the handler (the table's guarded() never sees it).
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

Response listOrganizations(services::OrganizationRepository& organizations, const Actor& admin) {
  if (auto allowed = platformAdmin(admin); !allowed) return failureResponse(allowed.error());
  auto list = organizations.list(std::nullopt, 500);
  if (!list) return failureResponse(list.error());
  Array::Ptr items = new Array;
  for (const auto& org : *list) items->add(organizationJson(org));
  return successResponse(items);
}

Response createOrganization(services::OrganizationRepository& organizations, const Actor& admin,
                            const Request& request) {
  if (auto allowed = platformAdmin(admin); !allowed) return failureResponse(allowed.error());
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
}

Response getOrganization(services::OrganizationRepository& organizations, const Actor& admin, const Request& request) {
  const std::string& orgId = request.params.at("org_id");
  if (auto allowed = reachable(admin, orgId); !allowed) return failureResponse(allowed.error());
  auto org = organizations.findById(orgId);
  if (!org) return failureResponse(org.error());
  return successResponse(organizationJson(*org));
}

Response listBindings(plugins::PluginBindingService& bindings, const Actor& admin, const Request& request) {
  const std::string& orgId = request.params.at("org_id");
  if (auto allowed = reachable(admin, orgId); !allowed) return failureResponse(allowed.error());
  auto list = bindings.list(orgId);
  if (!list) return failureResponse(list.error());
  Array::Ptr items = new Array;
  for (const auto& view : *list) items->add(bindingJson(view));
  return successResponse(items);
}

Response getBinding(plugins::PluginBindingService& bindings, const Actor& admin, const Request& request) {
  const std::string& orgId = request.params.at("org_id");
  if (auto allowed = reachable(admin, orgId); !allowed) return failureResponse(allowed.error());
  auto view = bindings.get(orgId, request.params.at("instance_id"));
  if (!view) return failureResponse(view.error());
  return successResponse(bindingJson(*view));
}

// A PUT body as the binding service takes it; a malformed one is a 400.
Result<plugins::BindingInput> readBindingInput(const Request& request) {
  plugins::BindingInput input;
  try {
    auto body = parseBody(request);
    input.pluginId = body->optValue<std::string>("plugin_id", "");
    input.versionRange = body->optValue<std::string>("version_range", "*");
    input.enabled = body->optValue<bool>("enabled", true);
    input.baseUrlOverride = body->optValue<std::string>("base_url_override", "");
    if (body->has("config")) {
      auto config = body->getObject("config");
      if (!config) return Error::invalidArgument("config must be a JSON object");
      std::ostringstream out;
      config->stringify(out);
      input.configJson = out.str();
    }
    if (body->has("revision")) input.expectedRevision = body->getValue<int64_t>("revision");
  } catch (const Poco::Exception& e) {
    return Error::invalidArgument("invalid JSON body: " + e.message());
  }
  if (input.pluginId.empty()) return Error::invalidArgument("plugin_id is required");
  return input;
}

// The override redirects a plugin's traffic (and lifts the https-only rule): in a
// tenant's hands it would be a way to make the host call arbitrary addresses.
Status checkBaseUrlOverride(const Actor& admin, const std::string& baseUrlOverride) {
  if (baseUrlOverride.empty()) return Status::ok();
  if (!admin.organizationId.empty()) return Error::permissionDenied("base_url_override is for platform admins");
  try {
    const Poco::URI base(baseUrlOverride);
    if ((base.getScheme() != "http" && base.getScheme() != "https") || base.getHost().empty()) {
      throw Poco::SyntaxException("not http(s)");
    }
  } catch (const Poco::Exception&) {
    return Error::invalidArgument("base_url_override must be an http(s) URL with a host");
  }
  return Status::ok();
}

Response putBinding(plugins::PluginBindingService& bindings, const Actor& admin, const Request& request) {
  const std::string& orgId = request.params.at("org_id");
  if (auto allowed = reachable(admin, orgId); !allowed) return failureResponse(allowed.error());
  auto input = readBindingInput(request);
  if (!input) return failureResponse(input.error());
  if (auto allowed = checkBaseUrlOverride(admin, input->baseUrlOverride); !allowed) {
    return failureResponse(allowed.error());
  }
  auto view = bindings.put(orgId, request.params.at("instance_id"), *input, storage::utcNowText());
  if (!view) return failureResponse(view.error());
  return successResponse(bindingJson(*view));
}

Response deleteBinding(plugins::PluginBindingService& bindings, const Actor& admin, const Request& request) {
  const std::string& orgId = request.params.at("org_id");
  if (auto allowed = reachable(admin, orgId); !allowed) return failureResponse(allowed.error());
  auto removed = bindings.remove(orgId, request.params.at("instance_id"));
  if (!removed) return failureResponse(removed.error());
  Object::Ptr data = new Object;
  data->set("deleted", request.params.at("instance_id"));
  return successResponse(data);
}

Response invoke(plugins::PluginInstances& instances, const Actor& admin, const Request& request) {
  const std::string& orgId = request.params.at("org_id");
  if (auto allowed = reachable(admin, orgId); !allowed) return failureResponse(allowed.error());
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
  // A test call may be retried with the same key; without one each call stands alone.
  const auto key = request.headers.find("idempotency-key");
  call.idempotencyKey = key != request.headers.end() ? key->second : request.requestId;
  auto result = instances.call(call);
  if (!result) return failureResponse(result.error());
  Object::Ptr data = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  data->set("plugin_id", result->pluginId);
  data->set("version", result->version);
  data->set("result", Poco::JSON::Parser().parse(result->json));
  return successResponse(data);
}

}  // namespace

// Role order.admin on every row (the table answers 401/403 first); each handler then
// scopes to the caller's organization. No policies: these routes were never rate limited
// nor idempotent, and the invoke route passes its Idempotency-Key on to the plugin.
std::vector<RouteRow> organizationRoutes(services::OrganizationRepository& organizations,
                                         plugins::PluginBindingService& bindings, plugins::PluginInstances& instances) {
  return {
      {.method = "GET",
       .path = "/api/v1/organizations",
       .audience = Audience::Admin,
       .policies = kNoPolicy,
       .handler = [&organizations](const Actor& admin,
                                   const Request&) { return listOrganizations(organizations, admin); }},
      {.method = "POST",
       .path = "/api/v1/organizations",
       .audience = Audience::Admin,
       .policies = kNoPolicy,
       .handler = [&organizations](
                      const Actor& admin,
                      const Request& request) { return createOrganization(organizations, admin, request); }},
      {.method = "GET",
       .path = "/api/v1/organizations/{org_id}",
       .audience = Audience::Admin,
       .policies = kNoPolicy,
       .handler = [&organizations](const Actor& admin,
                                   const Request& request) { return getOrganization(organizations, admin, request); }},
      {.method = "GET",
       .path = "/api/v1/organizations/{org_id}/plugins",
       .audience = Audience::Admin,
       .policies = kNoPolicy,
       .handler = [&bindings](const Actor& admin,
                              const Request& request) { return listBindings(bindings, admin, request); }},
      {.method = "GET",
       .path = "/api/v1/organizations/{org_id}/plugins/{instance_id}",
       .audience = Audience::Admin,
       .policies = kNoPolicy,
       .handler = [&bindings](const Actor& admin,
                              const Request& request) { return getBinding(bindings, admin, request); }},
      {.method = "PUT",
       .path = "/api/v1/organizations/{org_id}/plugins/{instance_id}",
       .audience = Audience::Admin,
       .policies = kNoPolicy,
       .handler = [&bindings](const Actor& admin,
                              const Request& request) { return putBinding(bindings, admin, request); }},
      {.method = "DELETE",
       .path = "/api/v1/organizations/{org_id}/plugins/{instance_id}",
       .audience = Audience::Admin,
       .policies = kNoPolicy,
       .handler = [&bindings](const Actor& admin,
                              const Request& request) { return deleteBinding(bindings, admin, request); }},
      {.method = "POST",
       .path = "/api/v1/organizations/{org_id}/plugins/{instance_id}/invoke",
       .audience = Audience::Admin,
       .policies = kNoPolicy,
       .handler = [&instances](const Actor& admin,
                               const Request& request) { return invoke(instances, admin, request); }},
  };
}

}  // namespace ordersvc::api
