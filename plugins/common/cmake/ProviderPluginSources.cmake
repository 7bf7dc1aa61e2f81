# Shared sources of the plugins that talk to a payment provider over HTTP (not compiled
# into every plugin: they need OpenSSL). Use:
#   include(${CMAKE_CURRENT_SOURCE_DIR}/../../common/cmake/ProviderPluginSources.cmake)
#   ordersvc_add_plugin(... SOURCES ... ${ORDERSVC_PROVIDER_PLUGIN_SOURCES}
#                       LINK ... OpenSSL::Crypto)
get_filename_component(_provider_common "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(ORDERSVC_PROVIDER_PLUGIN_SOURCES
  ${_provider_common}/hmac.cpp
  ${_provider_common}/form_encoding.cpp
  ${_provider_common}/raw_webhook.cpp
  ${_provider_common}/provider_http.cpp)
