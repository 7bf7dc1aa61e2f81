#pragma once

#include <functional>
#include <string>

namespace ordersvc::tools {

// The conformance kit behind `ordersvc-plugin check`: loads one installed plugin
// version (<dir> holding plugin.json) under the host's real loader and exercises it:
// descriptor sanity, manifest/table agreement, idempotent init/deinit, configuration
// schema and validation (bad configuration rejected), every declared operation
// answering a JSON object to the kit's sample request, malformed input refused with
// OSP_E_INVALID_ARGUMENT without a crash, and concurrent calls from several threads.
//
// Samples come from <dir>/conformance.json, or `samplesPath` when given:
//   {"config": {...}, "requests": {"tax.calculate": {...}, ...}}
// Each finding is reported through `report(passed, what)`. Returns true when all passed.
bool runConformance(const std::string& pluginDir, const std::string& samplesPath,
                    const std::function<void(bool, const std::string&)>& report);

}  // namespace ordersvc::tools
