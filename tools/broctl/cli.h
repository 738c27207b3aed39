// The pieces every broctl command shares: the command table, the option
// parser, the connection to a service and how results and errors are
// printed.
//
// broctl parses its own command line instead of using absl flags: its
// options depend on the command ("actors list --parent ..."), and absl
// flags are process-global, so every command's options would be accepted
// (and shown) everywhere.
#ifndef BROBYGGER_TOOLS_BROCTL_CLI_H_
#define BROBYGGER_TOOLS_BROCTL_CLI_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace brobygger::broctl {

// Options every command accepts.
inline constexpr absl::string_view kDefaultAddress = "127.0.0.1:50051";
// The catalogue's commands default to the catalogue service.
inline constexpr absl::string_view kDefaultCatalogueAddress = "127.0.0.1:50052";
// The matching commands default to the matching service.
inline constexpr absl::string_view kDefaultMatchingAddress = "127.0.0.1:50053";
// The notifications commands default to the notification service.
inline constexpr absl::string_view kDefaultNotificationsAddress =
    "127.0.0.1:50054";
inline constexpr absl::string_view kTokenEnvVar = "BROBYGGER_TOKEN";
inline constexpr absl::Duration kDefaultTimeout = absl::Seconds(10);

// A parsed command line: the words that name the command and its
// arguments ("actors", "get", "municipalities/aalborg/actors/3"), and the
// options ("--parent X" or "--parent=X"; a boolean option takes no value).
class Args {
 public:
  // Parses everything after the program name. Options may come before,
  // between or after the words. "--" ends the options. A value option
  // without a value is INVALID_ARGUMENT; a repeated option keeps the last
  // value.
  static absl::StatusOr<Args> Parse(const std::vector<std::string>& argv);

  const std::vector<std::string>& words() const { return words_; }
  bool Has(absl::string_view option) const;
  std::optional<std::string> Get(absl::string_view option) const;
  std::string GetOr(absl::string_view option, absl::string_view fallback) const;
  // INVALID_ARGUMENT naming the option when it is missing or empty.
  absl::StatusOr<std::string> Require(absl::string_view option) const;
  // The option names given, for checking them against a command.
  std::vector<std::string> OptionNames() const;

 private:
  std::vector<std::string> words_;
  std::map<std::string, std::string, std::less<>> options_;
};

// Options that take no value.
bool IsBooleanOption(absl::string_view option);

// What a command gets to run with.
struct Invocation {
  const Args& args;
  // The command's own words are removed: for "actors get NAME" this is
  // {"NAME"}.
  std::vector<std::string> positional;
  std::string address;
  std::string token;
  absl::Duration timeout = kDefaultTimeout;

  // A channel to `address` (plaintext: the services listen on loopback or
  // behind a TLS-terminating proxy).
  std::shared_ptr<grpc::Channel> Channel() const;
  // A context with the deadline and, when there is a token, the bearer
  // header.
  std::unique_ptr<grpc::ClientContext> NewContext() const;
  // The same with another bearer token (none if empty).
  std::unique_ptr<grpc::ClientContext> NewContextWithToken(
      absl::string_view bearer) const;
  // The single positional argument, or INVALID_ARGUMENT naming `what`.
  absl::StatusOr<std::string> OnePositional(absl::string_view what) const;
};

struct Command {
  // The words that select it: "actors list".
  absl::string_view name;
  // Arguments and options, for the usage text.
  absl::string_view synopsis;
  absl::string_view summary;
  // The options it accepts besides the global ones.
  std::vector<absl::string_view> options = {};
  // How many positional arguments it takes.
  int min_positional = 0;
  int max_positional = 0;
  absl::Status (*run)(const Invocation& invocation);
  // What --addr defaults to: the service the command calls.
  absl::string_view default_address = kDefaultAddress;
};

// The command groups, one per file.
std::vector<Command> KeyCommands();           // keygen, token
std::vector<Command> HealthCommands();        // health
std::vector<Command> MunicipalityCommands();  // municipality ...
std::vector<Command> ActorCommands();         // actors list/get/delete
std::vector<Command> ImportCommands();        // actors import
std::vector<Command> ContactCommands();       // contact resolve
std::vector<Command> ForumCommands();         // forums list/get
// catalogue search/get/list/occurrences/cancel-occurrence/report
std::vector<Command> CatalogueCommands();
// catalogue timeline ..., catalogue plan ...
std::vector<Command> CatalogueTimelineCommands();
// catalogue calendar, catalogue feed ..., catalogue hsds ...
std::vector<Command> CatalogueExportCommands();
std::vector<Command> CatalogueImportCommands();  // catalogue import
// matching request ..., suggest, assign, propose, accept, ...
std::vector<Command> MatchingCommands();
// notifications subscribe, subscriptions ..., inbox ..., watch,
// preferences ...
std::vector<Command> NotificationCommands();
// notifications webhooks ..., dead-letters ...
std::vector<Command> NotificationWebhookCommands();
// notifications broadcast, broadcasts ..., concerns ...
std::vector<Command> NotificationBroadcastCommands();
// webhook-receiver: a local endpoint for demos (only when broctl is built
// with the notification service's library, which checks signatures).
std::vector<Command> WebhookReceiverCommands();

// Prints `message` as proto3 JSON (camelCase names, enum names) on stdout.
// `with_defaults`: fields holding their default (0, false, "") are printed
// too, for messages where 0 means something (week 0 is the arrival week).
absl::Status PrintJson(const google::protobuf::Message& message,
                       bool with_defaults = false);

// The absl::Status of a finished call (with its google.rpc details), with a
// hint appended when the call had no token.
absl::Status CallStatus(const grpc::Status& status, const Invocation& inv);

// Prints `status` on stderr: the code, the message and every detail the
// server attached (field violations, the resource, the reason).
void PrintError(const absl::Status& status);

// The resource named by an ALREADY_EXISTS error (its google.rpc.ResourceInfo
// detail), or "" when it names none.
std::string ExistingResourceOf(const absl::Status& status);

// "aalborg" or "municipalities/aalborg" -> "municipalities/aalborg".
std::string MunicipalityName(absl::string_view id_or_name);

// One unary call of any service: `method` on a stub over `inv`'s channel,
// with `inv`'s token and deadline.
template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> CallService(
    const Invocation& inv,
    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                 Response*),
    const Request& request) {
  Stub stub(inv.Channel());
  Response response;
  const grpc::Status status =
      (stub.*method)(inv.NewContext().get(), request, &response);
  if (!status.ok()) return CallStatus(status, inv);
  return response;
}

// The same, printing the response as JSON (see PrintJson).
template <typename Stub, typename Request, typename Response>
absl::Status CallServiceAndPrint(
    const Invocation& inv,
    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                 Response*),
    const Request& request, bool with_defaults = false) {
  absl::StatusOr<Response> response = CallService(inv, method, request);
  if (!response.ok()) return response.status();
  return PrintJson(*response, with_defaults);
}

}  // namespace brobygger::broctl

#endif  // BROBYGGER_TOOLS_BROCTL_CLI_H_
