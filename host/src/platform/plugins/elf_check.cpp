#include "platform/plugins/elf_check.h"

#include <elf.h>

#include <cstring>
#include <vector>

namespace ordersvc::plugins {

Status checkElfSharedObject(std::string_view bytes) {
  const auto fileSize = static_cast<std::uint64_t>(bytes.size());
  Elf64_Ehdr header{};
  if (fileSize < sizeof header) {
    return Error::invalidArgument("truncated library: " + std::to_string(fileSize) +
                                  " bytes is less than an ELF header");
  }
  std::memcpy(&header, bytes.data(), sizeof header);
  if (header.e_ident[EI_MAG0] != ELFMAG0 || header.e_ident[EI_MAG1] != ELFMAG1 || header.e_ident[EI_MAG2] != ELFMAG2 ||
      header.e_ident[EI_MAG3] != ELFMAG3) {
    return Error::invalidArgument("not an ELF file");
  }
  if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != ELFDATA2LSB) {
    return Error::invalidArgument("library is not 64-bit little-endian ELF; host is");
  }
  if (header.e_type != ET_DYN)
    return Error::invalidArgument("library is not a shared object (ELF type " + std::to_string(header.e_type) + ")");
#if defined(__x86_64__)
  if (header.e_machine != EM_X86_64) {
    return Error::invalidArgument("library is for ELF machine " + std::to_string(header.e_machine) +
                                  ", host is x86-64 (62)");
  }
#elif defined(__aarch64__)
  if (header.e_machine != EM_AARCH64) {
    return Error::invalidArgument("library is for ELF machine " + std::to_string(header.e_machine) +
                                  ", host is aarch64 (183)");
  }
#endif
  const std::uint64_t programEnd = header.e_phoff + std::uint64_t{header.e_phnum} * header.e_phentsize;
  if (header.e_phentsize != sizeof(Elf64_Phdr) || programEnd > fileSize) {
    return Error::invalidArgument("truncated library: program headers end at byte " + std::to_string(programEnd) +
                                  ", file has " + std::to_string(fileSize));
  }
  std::vector<Elf64_Phdr> segments(header.e_phnum);
  std::memcpy(segments.data(), bytes.data() + header.e_phoff, segments.size() * sizeof(Elf64_Phdr));
  for (const auto& segment : segments) {
    if (segment.p_type != PT_LOAD && segment.p_type != PT_DYNAMIC) continue;
    const std::uint64_t end = segment.p_offset + segment.p_filesz;
    if (end > fileSize) {
      return Error::invalidArgument("truncated library: a segment needs " + std::to_string(end) + " bytes, file has " +
                                    std::to_string(fileSize));
    }
  }
  const std::uint64_t sectionEnd = header.e_shoff + std::uint64_t{header.e_shnum} * header.e_shentsize;
  if (header.e_shoff != 0 && sectionEnd > fileSize) {
    return Error::invalidArgument("truncated library: section headers end at byte " + std::to_string(sectionEnd) +
                                  ", file has " + std::to_string(fileSize));
  }
  return Status::ok();
}

}  // namespace ordersvc::plugins
