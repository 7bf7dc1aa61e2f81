# ordersvc_add_plugin(<target>
#     ID <id> VERSION <semver> KIND <payment|carrier|tax|einvoice>
#     MANIFEST <plugin.json.in> SOURCES <files...>
#     [OUTPUT_DIR <dir>] [LINK <libs...>])
#
# Builds <target> as a shared library that exports only osp_plugin_entry_v1, and writes
# <OUTPUT_DIR>/<id>/<version>/ with the library and its plugin.json: the manifest template
# with @PLUGIN_ID@, @PLUGIN_VERSION@, @PLUGIN_KIND@, @PLUGIN_LIBRARY@ and @PLUGIN_SHA256@
# filled in after linking, so the checksum always matches the library beside it.
# OUTPUT_DIR defaults to ${CMAKE_BINARY_DIR}/plugins (the host's default plugins_dir in a
# build tree).
#
# Used in the ordersvc tree (links ordersvc::plugin_api) and, installed with the SDK, by
# out-of-tree projects after find_package(OrdersvcPluginSDK) (links
# OrdersvcPluginSDK::plugin_api). plugin.version and WritePluginManifest.cmake are found
# beside this file in both cases.
function(ordersvc_add_plugin target)
  cmake_parse_arguments(P "" "ID;VERSION;KIND;MANIFEST;OUTPUT_DIR" "SOURCES;LINK" ${ARGN})
  foreach(required ID VERSION KIND MANIFEST SOURCES)
    if(NOT P_${required})
      message(FATAL_ERROR "ordersvc_add_plugin(${target}): ${required} is required")
    endif()
  endforeach()
  if(NOT P_OUTPUT_DIR)
    set(P_OUTPUT_DIR ${CMAKE_BINARY_DIR}/plugins)
  endif()
  # This file's directory, wherever the function is called from.
  set(helper_dir ${CMAKE_CURRENT_FUNCTION_LIST_DIR})
  set(dir ${P_OUTPUT_DIR}/${P_ID}/${P_VERSION})
  set(library_name lib${P_ID}.so)

  add_library(${target} MODULE ${P_SOURCES})
  set_property(GLOBAL APPEND PROPERTY ORDERSVC_PLUGIN_TARGETS ${target})
  # Relink (and so rewrite plugin.json) when the manifest template changes.
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${P_MANIFEST})
  # In the ordersvc tree the API target is ordersvc::plugin_api; from the installed SDK
  # (find_package(OrdersvcPluginSDK)) it is OrdersvcPluginSDK::plugin_api.
  if(TARGET ordersvc::plugin_api)
    target_link_libraries(${target} PRIVATE ordersvc::plugin_api)
  elseif(TARGET OrdersvcPluginSDK::plugin_api)
    target_link_libraries(${target} PRIVATE OrdersvcPluginSDK::plugin_api)
  else()
    message(FATAL_ERROR "ordersvc_add_plugin(${target}): no plugin API target; "
      "call find_package(OrdersvcPluginSDK) first")
  endif()
  if(P_LINK)
    target_link_libraries(${target} PRIVATE ${P_LINK})
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME lib${P_ID}
    LIBRARY_OUTPUT_DIRECTORY ${dir}
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # Export exactly one symbol, whatever the sources declare.
  target_link_options(${target} PRIVATE
    "LINKER:--version-script=${helper_dir}/plugin.version"
    "LINKER:--no-undefined")
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND}
      -DMANIFEST_IN=${CMAKE_CURRENT_SOURCE_DIR}/${P_MANIFEST}
      -DMANIFEST_OUT=${dir}/plugin.json
      -DLIBRARY=${dir}/${library_name}
      -DPLUGIN_ID=${P_ID} -DPLUGIN_VERSION=${P_VERSION} -DPLUGIN_KIND=${P_KIND}
      -P ${helper_dir}/WritePluginManifest.cmake
    VERBATIM)
  # Sample configuration and requests for `ordersvc-plugin check`, installed beside
  # plugin.json when the plugin has them.
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/conformance.json)
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/conformance.json)
    add_custom_command(TARGET ${target} POST_BUILD
      COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_CURRENT_SOURCE_DIR}/conformance.json ${dir}/conformance.json
      VERBATIM)
  endif()
endfunction()
