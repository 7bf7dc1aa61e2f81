#include "platform/plugins/json_check.h"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

namespace ordersvc::plugins {

namespace {

// Accepts every value; remembers whether the top level opened with an object.
struct TopLevelHandler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, TopLevelHandler> {
  int events = 0;
  bool objectFirst = false;
  bool Default() {
    ++events;
    return true;
  }
  bool StartObject() {
    if (events++ == 0) objectFirst = true;
    return true;
  }
};

}  // namespace

bool isJsonObject(std::string_view text, std::string* why) {
  rapidjson::MemoryStream stream(text.data(), text.size());
  rapidjson::Reader reader;
  TopLevelHandler handler;
  const rapidjson::ParseResult result =
      reader.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseStopWhenDoneFlag>(stream, handler);
  if (!result) {
    if (why)
      *why = std::string(rapidjson::GetParseError_En(result.Code())) + " at offset " + std::to_string(result.Offset());
    return false;
  }
  // kParseStopWhenDoneFlag stops after one value; anything but whitespace after it is junk.
  for (std::size_t i = stream.Tell(); i < text.size(); ++i) {
    const char c = text[i];
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
      if (why) *why = "unexpected data after the JSON value at offset " + std::to_string(i);
      return false;
    }
  }
  if (!handler.objectFirst) {
    if (why) *why = "result is not a JSON object";
    return false;
  }
  return true;
}

}  // namespace ordersvc::plugins
