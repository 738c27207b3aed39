// broctl: the command-line client of Brobygger. Mints development keys and
// tokens, and calls the registry (municipalities, actors, imports, contact
// resolution), the catalogue (activities, calendars, the reception
// timeline, HSDS exchange, demo imports), matching and notifications
// (subscriptions, inboxes watched live, preferences, webhooks, broadcasts,
// concerns, dead letters), runs a demo webhook receiver, and checks
// health.
//
//   broctl [--addr HOST:PORT] [--token JWT] [--timeout 10s] COMMAND ...
//
// Results are printed as JSON on stdout; errors (code, message, offending
// fields) on stderr with exit status 1. Usage errors exit with status 2.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "tools/broctl/cli.h"

namespace brobygger::broctl {
namespace {

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

std::vector<Command> AllCommands() {
  std::vector<Command> all;
  for (auto group :
       {KeyCommands, MunicipalityCommands, ActorCommands, ImportCommands,
        ContactCommands, ForumCommands, CatalogueCommands,
        CatalogueTimelineCommands, CatalogueExportCommands,
        CatalogueImportCommands, MatchingCommands, NotificationCommands,
        NotificationWebhookCommands, NotificationBroadcastCommands,
#ifndef BROBYGGER_BROCTL_WITHOUT_WEBHOOK_RECEIVER
        WebhookReceiverCommands,
#endif
        HealthCommands}) {
    for (Command& command : group()) all.push_back(std::move(command));
  }
  return all;
}

void PrintUsage(const std::vector<Command>& commands, std::ostream& out) {
  out << "usage: broctl [--addr HOST:PORT] [--token JWT] [--timeout 10s] "
         "COMMAND ...\n\n"
         "Global options:\n"
         "  --addr     the service to call (default "
      << kDefaultAddress << ", the registry; " << kDefaultCatalogueAddress
      << " for catalogue, " << kDefaultMatchingAddress << " for matching, "
      << kDefaultNotificationsAddress
      << " for notifications commands)\n"
         "  --token    bearer JWT (default: $"
      << kTokenEnvVar
      << ")\n"
         "  --timeout  deadline of every call (default 10s); for "
         "`notifications watch` only of\n"
         "             connecting: a watch runs until Ctrl-C or --count\n\n"
         "Commands:\n";
  for (const Command& command : commands) {
    out << "  broctl " << command.name;
    if (!command.synopsis.empty()) out << " " << command.synopsis;
    out << "\n      " << command.summary << "\n";
  }
}

// The command whose name matches the longest prefix of `words`.
const Command* FindCommand(const std::vector<Command>& commands,
                           const std::vector<std::string>& words,
                           size_t* consumed) {
  const Command* best = nullptr;
  for (const Command& command : commands) {
    const std::vector<std::string> name = absl::StrSplit(command.name, ' ');
    if (name.size() > words.size()) continue;
    bool match = true;
    for (size_t i = 0; i < name.size(); ++i) match &= name[i] == words[i];
    if (match && (best == nullptr || name.size() > *consumed)) {
      best = &command;
      *consumed = name.size();
    }
  }
  return best;
}

int Run(int argc, char** argv) {
  const std::vector<Command> commands = AllCommands();
  absl::StatusOr<Args> args =
      Args::Parse(std::vector<std::string>(argv + 1, argv + argc));
  if (!args.ok()) {
    std::cerr << "broctl: " << args.status().message() << "\n";
    return kExitUsage;
  }
  if (args->words().empty() || args->words()[0] == "help" ||
      args->Has("help")) {
    PrintUsage(commands, args->words().empty() && !args->Has("help")
                             ? std::cerr
                             : std::cout);
    return args->words().empty() && !args->Has("help") ? kExitUsage : 0;
  }

  size_t consumed = 0;
  const Command* command = FindCommand(commands, args->words(), &consumed);
  if (command == nullptr) {
    std::cerr << "broctl: unknown command \""
              << absl::StrJoin(args->words(), " ")
              << "\"; run `broctl help` for the list\n";
    return kExitUsage;
  }
  for (const std::string& option : args->OptionNames()) {
    const bool global =
        option == "addr" || option == "token" || option == "timeout";
    bool known = global;
    for (absl::string_view accepted : command->options) {
      known |= accepted == option;
    }
    if (!known) {
      std::cerr << "broctl " << command->name << ": unknown option --" << option
                << "\nusage: broctl " << command->name << " "
                << command->synopsis << "\n";
      return kExitUsage;
    }
  }
  std::vector<std::string> positional(args->words().begin() + consumed,
                                      args->words().end());
  if (static_cast<int>(positional.size()) < command->min_positional ||
      static_cast<int>(positional.size()) > command->max_positional) {
    std::cerr << "broctl " << command->name << ": wrong number of arguments"
              << "\nusage: broctl " << command->name << " " << command->synopsis
              << "\n";
    return kExitUsage;
  }

  std::string token = args->GetOr("token", "");
  if (!args->Has("token")) {
    const char* env = std::getenv(std::string(kTokenEnvVar).c_str());
    if (env != nullptr) token = env;
  }
  absl::Duration timeout = kDefaultTimeout;
  if (auto text = args->Get("timeout");
      text.has_value() && (!absl::ParseDuration(*text, &timeout) ||
                           timeout <= absl::ZeroDuration())) {
    std::cerr << "broctl: --timeout must be a positive duration such as 10s "
                 "or 500ms, not \""
              << *text << "\"\n";
    return kExitUsage;
  }

  Invocation invocation{
      .args = *args,
      .positional = std::move(positional),
      .address = args->GetOr("addr", command->default_address),
      .token = std::move(token),
      .timeout = timeout};
  const absl::Status status = command->run(invocation);
  if (!status.ok()) {
    PrintError(status);
    return kExitError;
  }
  return 0;
}

}  // namespace
}  // namespace brobygger::broctl

int main(int argc, char** argv) { return brobygger::broctl::Run(argc, argv); }
