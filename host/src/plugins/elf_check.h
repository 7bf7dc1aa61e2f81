#pragma once

#include <string>

#include "common/result.h"

namespace ordersvc::plugins {

// Checks, without mapping it, that `path` is a complete 64-bit little-endian ELF shared
// object for this machine: every loadable segment and the section headers lie inside
// the file. dlopen trusts these headers, so a truncated library would otherwise map
// pages past the end of the file and kill the process with SIGBUS on first touch.
// Errors: InvalidArgument naming what is wrong and both sizes.
Status checkElfSharedObject(const std::string& path);

}  // namespace ordersvc::plugins
