# ordersvc_plugin_manifest_header(<target> MANIFEST <plugin.json.in> NAMESPACE <c++ namespace>
#                                 ID <id> VERSION <semver>)
#
# Makes plugin.json.in the one source of truth for what both the manifest and the library
# state about a bundled plugin: reads its "name", "vendor", "operations" and
# "config_schema" at configure time and writes <binary dir>/generated/plugin_manifest.h with
# kId, kVersion, kName, kVendor, kOperations and kConfigSchema in <NAMESPACE>::manifest.
# The entry struct, operations() and configSchema() use those constants, so the manifest
# the host reads without loading the library cannot disagree with the library.
#
# Rationale: ordersvc_add_plugin fills the template only with @PLUGIN_*@ values after
# linking; the template is valid JSON as written (every placeholder sits inside a string),
# so CMake's string(JSON) can read it before the build.
#
# Also adds plugins/ (for "common/..." includes) and the generated folder to the target's
# include path, compiles the shared sources of plugins/common/ into it, and relinks it
# when the template changes so plugin.json is rewritten.
include_guard(GLOBAL)

function(ordersvc_plugin_manifest_header target)
  # Computed here, not at include time: include_guard(GLOBAL) skips the file for sibling
  # plugin folders, which would not see variables set by the first include.
  get_filename_component(plugins_root ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../.. ABSOLUTE)
  set(common_sources
    ${plugins_root}/common/address.cpp
    ${plugins_root}/common/json_reader.cpp
    ${plugins_root}/common/json_writer.cpp
    ${plugins_root}/common/money.cpp
    ${plugins_root}/common/problems.cpp)
  cmake_parse_arguments(M "" "MANIFEST;NAMESPACE;ID;VERSION" "" ${ARGN})
  foreach(required MANIFEST NAMESPACE ID VERSION)
    if(NOT M_${required})
      message(FATAL_ERROR "ordersvc_plugin_manifest_header(${target}): ${required} is required")
    endif()
  endforeach()
  set(manifest_path ${CMAKE_CURRENT_SOURCE_DIR}/${M_MANIFEST})
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${manifest_path})
  file(READ ${manifest_path} manifest)

  string(JSON name ERROR_VARIABLE err GET "${manifest}" name)
  if(err)
    message(FATAL_ERROR "${manifest_path}: ${err}")
  endif()
  string(JSON vendor GET "${manifest}" vendor)
  string(JSON schema GET "${manifest}" config_schema)
  string(JSON operation_count LENGTH "${manifest}" operations)
  set(operations "")
  if(operation_count GREATER 0)
    math(EXPR last "${operation_count} - 1")
    foreach(i RANGE ${last})
      string(JSON op GET "${manifest}" operations ${i})
      string(APPEND operations "    \"${op}\",\n")
    endforeach()
  endif()
  # The raw-string delimiter must not occur in the text it wraps.
  foreach(text IN ITEMS "${name}" "${vendor}" "${schema}")
    string(FIND "${text}" ")osp_manifest\"" found)
    if(NOT found EQUAL -1)
      message(FATAL_ERROR "${manifest_path}: text contains )osp_manifest\"")
    endif()
  endforeach()

  set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/generated)
  set(content "// Generated from ${M_MANIFEST} by plugins/common/cmake/PluginManifestHeader.cmake.
// Edit the manifest template, not this file.
#pragma once

#include <string_view>

namespace ${M_NAMESPACE}::manifest {

inline constexpr const char* kId = \"${M_ID}\";
inline constexpr const char* kVersion = \"${M_VERSION}\";
inline constexpr const char* kName = R\"osp_manifest(${name})osp_manifest\";
inline constexpr const char* kVendor = R\"osp_manifest(${vendor})osp_manifest\";
inline constexpr const char* kOperations[] = {
${operations}};
inline constexpr std::string_view kConfigSchema = R\"osp_manifest(${schema})osp_manifest\";

}  // namespace ${M_NAMESPACE}::manifest
")
  # Write through a scratch file so an unchanged header keeps its timestamp.
  file(WRITE ${out_dir}/plugin_manifest.h.tmp "${content}")
  configure_file(${out_dir}/plugin_manifest.h.tmp ${out_dir}/plugin_manifest.h COPYONLY)

  # A manifest edit that leaves the header unchanged (the description) must still rewrite
  # plugin.json, which ordersvc_add_plugin does after linking.
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${manifest_path})
  target_sources(${target} PRIVATE ${common_sources})
  target_include_directories(${target} PRIVATE ${plugins_root} ${out_dir})
endfunction()
