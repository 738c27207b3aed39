#!/usr/bin/python3
"""Loads the notifications demo (deploy/demo/aalborg-notifications.json)
into the local notification service with broctl; run by deploy/local/up.sh.

Two steps, so that up.sh can start the webhook receiver in between:

  webhook        makes sure the demo's webhook endpoint exists (created
                 once; its URL follows the receiver's port) and that its
                 signing secret is in --secret-file (rotated when the file
                 is lost: the service shows a secret only once). Prints the
                 endpoint's name.
  subscriptions  subscribes the demo's actors and the webhook and sets the
                 preferences, unless the demo is loaded already: the
                 webhook's subscription, made last, marks a complete load.
                 A subscription that exists (same subscriber, same topics)
                 is not made twice, so an interrupted load finishes on the
                 next run.

The notification service learns the registry's actors from its event
stream a moment after the registry created them: a call that names an actor
it does not know yet is retried for --wait seconds.

Each change is made with the token of whoever would make it ("as" in the
file): the volunteer themself, the organisation's app or the coordinator.
"""
import argparse
import json
import os
import subprocess
import sys
import time

UNKNOWN_YET = (
    "is unknown to the notification service",  # subscriptions, webhooks
    "is not known here (yet)",  # inboxes (preferences)
)


class Failure(Exception):
    pass


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Demo:
    def __init__(self, args):
        self.args = args
        with open(args.file, encoding="utf-8") as f:
            self.demo = json.load(f)
        self.municipality = self.demo["municipality"]
        self.parent = f"municipalities/{self.municipality}"
        with open(args.actors, encoding="utf-8") as f:
            self.actors = json.load(f)["actors"]
        self.tokens = {}

    # --- broctl -------------------------------------------------------------

    def actor(self, ref):
        if ref not in self.actors:
            raise Failure(f"{self.args.file}: no actor with ref \"{ref}\" in {self.args.actors}")
        return self.actors[ref]

    def token(self, role, actor_ref):
        """A token of `role` acting as (volunteer) or for (ngo_app) the actor."""
        key = (role, actor_ref if role in ("volunteer", "ngo_app") else "")
        if key in self.tokens:
            return self.tokens[key]
        command = [self.args.broctl, "token", "--key", self.args.key, "--kid", self.args.kid,
                   "--ttl", "1h", "--role", role, "--municipality", self.municipality]
        if role == "volunteer":
            command += ["--subject", self.actor(actor_ref)]
        elif role == "ngo_app":
            command += ["--org", self.actor(actor_ref), "--subject", f"demo-app-{actor_ref}"]
        elif role == "coordinator":
            command += ["--subject", "dev-coordinator"]
        else:
            raise Failure(f"{self.args.file}: \"as\": \"{role}\" is not volunteer, ngo_app or coordinator")
        self.tokens[key] = subprocess.run(command, check=True, capture_output=True,
                                          text=True).stdout.strip()
        return self.tokens[key]

    def broctl(self, token, *command):
        """Runs a broctl command against the notification service; its JSON
        answer. Waits while the service does not know an actor yet (or is not
        serving yet)."""
        deadline = time.monotonic() + self.args.wait
        while True:
            done = subprocess.run(
                [self.args.broctl, "--addr", self.args.addr, "--token", token, *command],
                capture_output=True, text=True)
            if done.returncode == 0:
                return json.loads(done.stdout) if done.stdout.strip() else {}
            error = done.stderr.strip()
            waiting = any(s in error for s in UNKNOWN_YET) or "UNAVAILABLE" in error
            if not waiting:
                raise Failure(f"broctl {' '.join(command[:3])} failed: {error}")
            if time.monotonic() >= deadline:
                raise Failure(
                    f"the notification service at {self.args.addr} still does not know an actor "
                    f"of the demo after {self.args.wait:.0f} s ({error}); it learns them from the "
                    f"registry's events: is it following {self.municipality} "
                    f"(--follow_municipalities)? See .local/logs/notifications.log")
            time.sleep(0.25)

    def coordinator(self):
        return self.token("coordinator", "")

    # --- The webhook endpoint ----------------------------------------------

    def find_webhook(self):
        spec = self.demo["webhook"]
        owner = self.actor(spec["ownerRef"])
        listed = self.broctl(self.coordinator(), "notifications", "webhooks", "list",
                             "--parent", self.parent)
        for endpoint in listed.get("webhookEndpoints", []):
            if endpoint.get("owner") == owner and endpoint.get("displayName") == spec["displayName"]:
                return endpoint
        return None

    def webhook(self):
        spec = self.demo["webhook"]
        url = self.args.receiver_url.rstrip("/") + spec["path"]
        token = self.token(spec.get("as", "coordinator"), spec["ownerRef"])
        secret_out = ["--secret-out", self.args.secret_file]
        endpoint = self.find_webhook()
        if endpoint is None:
            endpoint = self.broctl(token, "notifications", "webhooks", "create",
                                   "--parent", self.parent, "--owner", self.actor(spec["ownerRef"]),
                                   "--display-name", spec["displayName"], "--url", url, *secret_out)
            log(f"  created the webhook endpoint {endpoint['name']} ({spec['displayName']}) -> {url}")
        else:
            if endpoint.get("url") != url:
                self.broctl(token, "notifications", "webhooks", "update", endpoint["name"],
                            "--url", url)
                log(f"  pointed {endpoint['name']} at {url}")
            if not self.secret_file_ok():
                self.broctl(token, "notifications", "webhooks", "rotate-secret", endpoint["name"],
                            *secret_out)
                log(f"  {os.path.relpath(self.args.secret_file)} was missing: rotated the secret "
                    f"of {endpoint['name']}")
        if not self.secret_file_ok():
            raise Failure(f"no signing secret in {self.args.secret_file}")
        print(endpoint["name"])

    def secret_file_ok(self):
        try:
            with open(self.args.secret_file, encoding="utf-8") as f:
                return bool(f.read().strip())
        except OSError:
            return False

    # --- Subscriptions and preferences --------------------------------------

    @staticmethod
    def topic_names(topics):
        names = set()
        for topic in topics:
            name = topic.strip().upper().replace("-", "_")
            names.add(name if name.startswith("TOPIC_") else "TOPIC_" + name)
        return names

    @staticmethod
    def subscribe_options(spec):
        options = ["--topics", ",".join(spec["topics"])]
        for field in ("areas", "categories", "forums"):
            if spec.get(field):
                options += [f"--{field}", ",".join(spec[field])]
        return options

    def subscribe(self, existing, token, target_option, target, spec, label):
        wanted = self.topic_names(spec["topics"])
        for subscription in existing:
            if (subscription.get(target_option) == target
                    and set(subscription.get("topics", [])) == wanted):
                return False
        made = self.broctl(token, "notifications", "subscribe", "--parent", self.parent,
                           f"--{target_option}", target, *self.subscribe_options(spec))
        areas = f" in {', '.join(spec['areas'])}" if spec.get("areas") else ""
        log(f"  {made['name']}: {label} <- {', '.join(spec['topics'])}{areas}")
        return True

    def subscriptions(self):
        endpoint = self.find_webhook()
        if endpoint is None:
            raise Failure("the demo's webhook endpoint does not exist: run the webhook step first")
        existing = self.broctl(self.coordinator(), "notifications", "subscriptions", "list",
                               "--parent", self.parent).get("subscriptions", [])
        if any(s.get("webhook") == endpoint["name"] for s in existing):
            log(f"the demo notifications of {self.municipality} are loaded already")
            return
        log(f"loading the demo notifications from {os.path.relpath(self.args.file)}")
        for spec in self.demo.get("subscriptions", []):
            ref = spec["subscriberRef"]
            self.subscribe(existing, self.token(spec.get("as", "coordinator"), ref), "subscriber",
                           self.actor(ref), spec, ref)
        for spec in self.demo.get("preferences", []):
            ref = spec["actorRef"]
            command = ["notifications", "preferences", "set", self.actor(ref)]
            for option, value in spec["set"].items():
                command += [f"--{option}", str(value)]
            self.broctl(self.token(spec.get("as", "coordinator"), ref), *command)
            log(f"  preferences of {ref}: " + ", ".join(f"{k} {v}" for k, v in spec["set"].items()))
        # Last: it marks the load complete.
        spec = self.demo["webhook"]
        self.subscribe(existing, self.token(spec.get("as", "coordinator"), spec["ownerRef"]),
                       "webhook", endpoint["name"], spec, endpoint["name"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=["webhook", "subscriptions"])
    parser.add_argument("--broctl", required=True)
    parser.add_argument("--key", required=True, help="the development signing key")
    parser.add_argument("--kid", default="dev")
    parser.add_argument("--addr", required=True, help="the notification service")
    parser.add_argument("--file", required=True, help="deploy/demo/aalborg-notifications.json")
    parser.add_argument("--actors", required=True,
                        help="the registry import's summary (ref -> actor name)")
    parser.add_argument("--receiver-url", default="http://127.0.0.1:8099")
    parser.add_argument("--secret-file")
    parser.add_argument("--wait", type=float, default=60,
                        help="seconds to wait for the service to learn the demo's actors")
    args = parser.parse_args()
    if args.step == "webhook" and not args.secret_file:
        parser.error("the webhook step needs --secret-file")
    try:
        demo = Demo(args)
        demo.webhook() if args.step == "webhook" else demo.subscriptions()
    except (Failure, OSError, KeyError, json.JSONDecodeError, subprocess.CalledProcessError) as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
