#include "tools/broctl/cli.h"

#include <iostream>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/grpc_status.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace brobygger::broctl {
namespace {

constexpr absl::string_view kTypeUrlPrefix = "type.googleapis.com/";

template <typename Detail>
std::optional<Detail> DetailOf(const absl::Status& status) {
  const auto payload = status.GetPayload(
      absl::StrCat(kTypeUrlPrefix, Detail::descriptor()->full_name()));
  if (!payload.has_value()) return std::nullopt;
  Detail detail;
  if (!detail.ParseFromString(std::string(*payload))) return std::nullopt;
  return detail;
}

}  // namespace

bool IsBooleanOption(absl::string_view option) {
  return option == "help" || option == "force" || option == "all" ||
         option == "free" || option == "show-cancelled" ||
         option == "validate-only" || option == "publish" ||
         option == "unread" || option == "heartbeats" || option == "urgent";
}

absl::StatusOr<Args> Args::Parse(const std::vector<std::string>& argv) {
  Args args;
  bool options_ended = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (options_ended || !absl::StartsWith(arg, "--")) {
      args.words_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    const size_t equals = name.find('=');
    if (equals != std::string::npos) {
      value = name.substr(equals + 1);
      name.resize(equals);
    } else if (IsBooleanOption(name)) {
      value = "true";
    } else {
      if (i + 1 >= argv.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat("option --", name, " needs a value: --", name,
                         " VALUE or --", name, "=VALUE"));
      }
      value = argv[++i];
    }
    if (name.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("malformed option \"", arg, "\""));
    }
    args.options_[name] = std::move(value);
  }
  return args;
}

bool Args::Has(absl::string_view option) const {
  return options_.find(option) != options_.end();
}

std::optional<std::string> Args::Get(absl::string_view option) const {
  auto it = options_.find(option);
  if (it == options_.end()) return std::nullopt;
  return it->second;
}

std::string Args::GetOr(absl::string_view option,
                        absl::string_view fallback) const {
  auto it = options_.find(option);
  return it == options_.end() ? std::string(fallback) : it->second;
}

absl::StatusOr<std::string> Args::Require(absl::string_view option) const {
  auto it = options_.find(option);
  if (it == options_.end() || it->second.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("missing --", option, " (see broctl help)"));
  }
  return it->second;
}

std::vector<std::string> Args::OptionNames() const {
  std::vector<std::string> names;
  for (const auto& [name, value] : options_) names.push_back(name);
  return names;
}

std::shared_ptr<grpc::Channel> Invocation::Channel() const {
  grpc::ChannelArguments channel_args;
  // Lists of actors can be large; the services' default limit is 4 MiB.
  channel_args.SetMaxReceiveMessageSize(64 * 1024 * 1024);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                   channel_args);
}

std::unique_ptr<grpc::ClientContext> Invocation::NewContext() const {
  return NewContextWithToken(token);
}

std::unique_ptr<grpc::ClientContext> Invocation::NewContextWithToken(
    absl::string_view bearer) const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  if (!bearer.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", bearer));
  }
  return context;
}

absl::StatusOr<std::string> Invocation::OnePositional(
    absl::string_view what) const {
  if (positional.size() != 1 || positional[0].empty()) {
    return absl::InvalidArgumentError(absl::StrCat("give exactly one ", what));
  }
  return positional[0];
}

absl::Status PrintJson(const google::protobuf::Message& message,
                       bool with_defaults) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = with_defaults;
  std::string json;
  const auto status =
      google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat(
        "cannot print the response as JSON: ", status.message().as_string()));
  }
  std::cout << json;
  if (json.empty() || json.back() != '\n') std::cout << '\n';
  std::cout.flush();
  return absl::OkStatus();
}

absl::Status CallStatus(const grpc::Status& grpc_status,
                        const Invocation& inv) {
  absl::Status status = FromGrpcStatus(grpc_status);
  if (status.code() == absl::StatusCode::kUnauthenticated &&
      inv.token.empty()) {
    absl::Status hinted(status.code(),
                        absl::StrCat(status.message(),
                                     " (no token was sent: pass --token or "
                                     "set ",
                                     kTokenEnvVar, ")"));
    status.ForEachPayload(
        [&hinted](absl::string_view url, const absl::Cord& payload) {
          hinted.SetPayload(url, payload);
        });
    return hinted;
  }
  if (status.code() == absl::StatusCode::kUnavailable) {
    absl::Status hinted(
        status.code(),
        absl::StrCat(status.message(), " (is the service running at ",
                     inv.address, "? see --addr)"));
    return hinted;
  }
  return status;
}

void PrintError(const absl::Status& status) {
  std::cerr << "error: " << absl::StatusCodeToString(status.code()) << ": "
            << status.message() << "\n";
  if (auto bad_request = DetailOf<google::rpc::BadRequest>(status)) {
    for (const auto& violation : bad_request->field_violations()) {
      std::cerr << "  field " << violation.field() << ": "
                << violation.description() << "\n";
    }
  }
  if (auto resource = DetailOf<google::rpc::ResourceInfo>(status)) {
    std::cerr << "  resource: " << resource->resource_name() << " ("
              << resource->resource_type() << ")\n";
  }
  if (auto failure = DetailOf<google::rpc::PreconditionFailure>(status)) {
    for (const auto& violation : failure->violations()) {
      std::cerr << "  precondition " << violation.type() << " on "
                << violation.subject() << ": " << violation.description()
                << "\n";
    }
  }
  if (auto info = DetailOf<google::rpc::ErrorInfo>(status)) {
    std::cerr << "  reason: " << info->reason() << "\n";
  }
}

std::string ExistingResourceOf(const absl::Status& status) {
  auto resource = DetailOf<google::rpc::ResourceInfo>(status);
  return resource.has_value() ? resource->resource_name() : std::string();
}

std::string MunicipalityName(absl::string_view id_or_name) {
  if (absl::StartsWith(id_or_name, "municipalities/")) {
    return std::string(id_or_name);
  }
  return absl::StrCat("municipalities/", id_or_name);
}

}  // namespace brobygger::broctl
