#include "tools/broctl/import_file.h"

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <fstream>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/api/resource_name.h"
#include "common/status/macros.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "tools/broctl/import_json.h"

namespace brobygger::broctl {
namespace {

using Json = nlohmann::json;

// The namespace of import request ids (a random UUID, fixed forever: a
// change would make re-imports create everything again).
constexpr std::array<uint8_t, 16> kImportNamespace = {
    0x4b, 0x9e, 0x2c, 0x71, 0x0d, 0x3a, 0x4f, 0x58,
    0x9a, 0x61, 0x7e, 0x25, 0xc8, 0x13, 0xb0, 0x4d};

std::string Where(absl::string_view collection, size_t index,
                  absl::string_view ref) {
  if (ref.empty()) return absl::StrCat(collection, "[", index, "]");
  return absl::StrCat(collection, "[", index, "] (ref \"", ref, "\")");
}

// Removes `key` from `object` and returns its string value ("" if absent).
absl::StatusOr<std::string> TakeString(Json& object, const char* key,
                                       absl::string_view where) {
  auto it = object.find(key);
  if (it == object.end()) return std::string();
  if (!it->is_string()) {
    return EntryError(where, absl::StrCat("\"", key, "\" must be a string"));
  }
  std::string value = it->get<std::string>();
  object.erase(it);
  return value;
}

absl::StatusOr<std::string> TakeRef(Json& object, const char* key,
                                    absl::string_view where, bool required) {
  ASSIGN_OR_RETURN(std::string ref, TakeString(object, key, where));
  if (ref.empty() && !required) return ref;
  if (!IsValidRef(ref)) {
    return EntryError(
        where, absl::StrCat("\"", key,
                            "\" must be 1-64 letters, digits, '-', '_' or "
                            "'.', not \"",
                            ref.substr(0, kMaxRefLength), "\""));
  }
  return ref;
}

absl::StatusOr<const Json*> ArrayOf(const Json& root, const char* key,
                                    size_t max_size) {
  auto it = root.find(key);
  if (it == root.end()) return nullptr;
  if (!it->is_array()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", key, "\" must be an array"));
  }
  if (it->size() > max_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", key, "\" has ", it->size(), " entries; at most ",
                     max_size, " may be imported at once: split the file"));
  }
  return &*it;
}

absl::Status ParseMunicipality(Json object, ImportFile& file,
                               absl::string_view default_id) {
  if (!object.is_object()) {
    return absl::InvalidArgumentError("\"municipality\" must be an object");
  }
  ASSIGN_OR_RETURN(std::string id, TakeString(object, "id", "municipality"));
  if (id.empty()) id = std::string(default_id);
  if (!default_id.empty() && id != default_id) {
    return absl::InvalidArgumentError(
        absl::StrCat("the file is for municipality \"", id, "\", not \"",
                     default_id, "\": drop --parent or import the right file"));
  }
  registry::v1::Municipality municipality;
  RETURN_IF_ERROR(ParseMessage(object, "municipality", &municipality));
  file.municipality_id = std::move(id);
  file.municipality = std::move(municipality);
  return absl::OkStatus();
}

absl::Status ParseActors(const Json& entries, ImportFile& file) {
  std::set<std::string> known;
  for (size_t i = 0; i < entries.size(); ++i) {
    Json object = entries[i];
    std::string where = Where("actors", i, "");
    if (!object.is_object()) return EntryError(where, "must be an object");
    ImportedActor imported;
    ASSIGN_OR_RETURN(imported.ref, TakeRef(object, "ref", where, true));
    where = Where("actors", i, imported.ref);
    if (!known.insert(imported.ref).second) {
      return EntryError(where, "the ref is used by an earlier actor");
    }
    ASSIGN_OR_RETURN(imported.parent_ref,
                     TakeRef(object, "parentRef", where, false));
    ASSIGN_OR_RETURN(imported.caseworker_ref,
                     TakeRef(object, "caseworkerRef", where, false));
    RETURN_IF_ERROR(ParseMessage(object, where, &imported.actor));
    for (const auto& [key, ref] :
         {std::pair<const char*, const std::string&>{"parentRef",
                                                     imported.parent_ref},
          {"caseworkerRef", imported.caseworker_ref}}) {
      if (!ref.empty() && (ref == imported.ref || !known.contains(ref))) {
        return EntryError(
            where, absl::StrCat(key, " \"", ref,
                                "\" must name an actor listed before this "
                                "one (it must exist when this one is "
                                "created)"));
      }
    }
    if (!imported.parent_ref.empty() && !imported.actor.parent().empty()) {
      return EntryError(where, "give either parentRef or parent, not both");
    }
    if (!imported.caseworker_ref.empty()) {
      if (imported.actor.kind() != registry::v1::ACTOR_KIND_NEWCOMER) {
        return EntryError(where, "caseworkerRef is only for newcomers");
      }
      if (!imported.actor.newcomer().caseworker().empty()) {
        return EntryError(where,
                          "give either caseworkerRef or newcomer.caseworker");
      }
    }
    file.actors.push_back(std::move(imported));
  }
  return absl::OkStatus();
}

absl::Status CheckActorRef(const std::set<std::string>& actor_refs,
                           absl::string_view where, absl::string_view key,
                           absl::string_view ref) {
  if (!ref.empty() && !actor_refs.contains(std::string(ref))) {
    return EntryError(
        where, absl::StrCat(key, " \"", ref, "\" names no actor of the file"));
  }
  return absl::OkStatus();
}

absl::Status ParseContactPoints(const Json& entries,
                                const std::set<std::string>& actor_refs,
                                ImportFile& file) {
  std::set<std::string> known;
  for (size_t i = 0; i < entries.size(); ++i) {
    Json object = entries[i];
    std::string where = Where("contactPoints", i, "");
    if (!object.is_object()) return EntryError(where, "must be an object");
    ImportedContactPoint imported;
    ASSIGN_OR_RETURN(imported.ref, TakeRef(object, "ref", where, true));
    where = Where("contactPoints", i, imported.ref);
    if (!known.insert(imported.ref).second) {
      return EntryError(where, "the ref is used by an earlier contact point");
    }
    ASSIGN_OR_RETURN(imported.contact_ref,
                     TakeRef(object, "contactRef", where, false));
    RETURN_IF_ERROR(ParseMessage(object, where, &imported.contact_point));
    RETURN_IF_ERROR(
        CheckActorRef(actor_refs, where, "contactRef", imported.contact_ref));
    if (!imported.contact_ref.empty() &&
        !imported.contact_point.contact().empty()) {
      return EntryError(where, "give either contactRef or contact, not both");
    }
    file.contact_points.push_back(std::move(imported));
  }
  return absl::OkStatus();
}

absl::Status ParseForums(const Json& entries,
                         const std::set<std::string>& actor_refs,
                         ImportFile& file) {
  std::set<std::string> known;
  for (size_t i = 0; i < entries.size(); ++i) {
    Json object = entries[i];
    std::string where = Where("forums", i, "");
    if (!object.is_object()) return EntryError(where, "must be an object");
    ImportedForum imported;
    ASSIGN_OR_RETURN(imported.ref, TakeRef(object, "ref", where, true));
    where = Where("forums", i, imported.ref);
    if (!known.insert(imported.ref).second) {
      return EntryError(where, "the ref is used by an earlier forum");
    }
    ASSIGN_OR_RETURN(imported.coordinator_ref,
                     TakeRef(object, "coordinatorRef", where, false));
    RETURN_IF_ERROR(CheckActorRef(actor_refs, where, "coordinatorRef",
                                  imported.coordinator_ref));
    if (auto members = object.find("members"); members != object.end()) {
      if (!members->is_array()) {
        return EntryError(where, "\"members\" must be an array");
      }
      for (size_t m = 0; m < members->size(); ++m) {
        Json& member = (*members)[m];
        const std::string member_where =
            absl::StrCat(where, ".members[", m, "]");
        if (!member.is_object()) {
          return EntryError(member_where, "must be an object");
        }
        ASSIGN_OR_RETURN(std::string ref,
                         TakeRef(member, "actorRef", member_where, false));
        RETURN_IF_ERROR(
            CheckActorRef(actor_refs, member_where, "actorRef", ref));
        imported.member_refs.push_back(std::move(ref));
      }
    }
    RETURN_IF_ERROR(ParseMessage(object, where, &imported.forum));
    if (!imported.coordinator_ref.empty() &&
        !imported.forum.coordinator().empty()) {
      return EntryError(where,
                        "give either coordinatorRef or coordinator, not both");
    }
    for (int m = 0; m < imported.forum.members_size(); ++m) {
      if (!imported.member_refs[m].empty() &&
          !imported.forum.members(m).actor().empty()) {
        return EntryError(absl::StrCat(where, ".members[", m, "]"),
                          "give either actorRef or actor, not both");
      }
    }
    file.forums.push_back(std::move(imported));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ImportFile> ParseImportFile(
    absl::string_view text, absl::string_view default_municipality_id) {
  ASSIGN_OR_RETURN(Json root,
                   ParseJsonObject(text, "the import file", kMaxImportFileBytes));
  if (!root.is_object()) {
    return absl::InvalidArgumentError(
        "the import file must be a JSON object with \"municipality\", "
        "\"actors\", \"contactPoints\", \"forums\", \"coordinatorRef\"");
  }
  static const std::set<std::string> kTopLevelKeys = {
      "comment",       "municipality", "actors",
      "contactPoints", "forums",       "coordinatorRef"};
  for (const auto& [key, value] : root.items()) {
    if (!kTopLevelKeys.contains(key)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown top-level field \"", key,
          "\": expected municipality, actors, contactPoints, forums, "
          "coordinatorRef or comment"));
    }
  }

  ImportFile file;
  file.municipality_id = std::string(default_municipality_id);
  if (auto it = root.find("municipality"); it != root.end()) {
    RETURN_IF_ERROR(ParseMunicipality(*it, file, default_municipality_id));
  }
  if (file.municipality_id.empty()) {
    return absl::InvalidArgumentError(
        "which municipality? give municipality.id in the file or --parent "
        "municipalities/ID");
  }
  if (!api::IsValidMunicipalityId(file.municipality_id)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", file.municipality_id.substr(0, 64),
        "\" is not a municipality id: 2-63 lowercase letters, digits or "
        "'-', starting with a letter"));
  }

  ASSIGN_OR_RETURN(const Json* actors,
                   ArrayOf(root, "actors", kMaxImportedActors));
  if (actors != nullptr) RETURN_IF_ERROR(ParseActors(*actors, file));
  std::set<std::string> actor_refs;
  for (const ImportedActor& actor : file.actors) actor_refs.insert(actor.ref);

  ASSIGN_OR_RETURN(const Json* contact_points,
                   ArrayOf(root, "contactPoints", kMaxImportedContactPoints));
  if (contact_points != nullptr) {
    RETURN_IF_ERROR(ParseContactPoints(*contact_points, actor_refs, file));
  }
  ASSIGN_OR_RETURN(const Json* forums,
                   ArrayOf(root, "forums", kMaxImportedForums));
  if (forums != nullptr) {
    RETURN_IF_ERROR(ParseForums(*forums, actor_refs, file));
  }
  if (auto it = root.find("coordinatorRef"); it != root.end()) {
    if (!it->is_string()) {
      return absl::InvalidArgumentError("\"coordinatorRef\" must be a string");
    }
    file.coordinator_ref = it->get<std::string>();
    RETURN_IF_ERROR(CheckActorRef(actor_refs, "the file", "coordinatorRef",
                                  file.coordinator_ref));
  }
  return file;
}

absl::StatusOr<ImportFile> ReadImportFile(
    const std::string& path, absl::string_view default_municipality_id) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read the import file ", path));
  }
  std::string text(kMaxImportFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  return ParseImportFile(text, default_municipality_id);
}

std::string ImportRequestId(absl::string_view municipality_id,
                            absl::string_view collection,
                            absl::string_view ref) {
  const std::string name =
      absl::StrCat(municipality_id, "/", collection, "/", ref);
  std::string input(kImportNamespace.begin(), kImportNamespace.end());
  input.append(name);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(input.data(), input.size(), digest.data(), &length, EVP_sha1(),
             nullptr);
  // RFC 4122 section 4.3: version 5 (name-based, SHA-1), RFC variant.
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x50);
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);
  std::string uuid;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) uuid.push_back('-');
    absl::StrAppendFormat(&uuid, "%02x", digest[i]);
  }
  return uuid;
}

}  // namespace brobygger::broctl
