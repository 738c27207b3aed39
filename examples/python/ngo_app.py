#!/usr/bin/env python3
"""An NGO's app, the way the NGO's own developers would write it against
Brobygger's public gRPC contract (brobygger.matching.v1), in Python with
Debian's python3-grpcio (stubs made by Debian's protoc and
grpc_python_plugin, packages protobuf-compiler and protobuf-compiler-grpc):

  1. authenticate with the organisation's token (role ngo_app),
  2. list the match proposals for the organisation's volunteers, with the
     reasons Brobygger gives for each,
  3. accept one (the volunteer said yes in the app),
  4. watch the match until the municipality makes it active.

Usage:
  BROBYGGER_TOKEN=... python3 ngo_app.py --addr 127.0.0.1:50053 \\
      --municipality aalborg [--match NAME] [--wait-seconds 60]

The Python stubs are generated at start from ../../protos (or --protos DIR)
into a temporary directory, so the example always speaks the contract of
the checkout it sits in. Prints one JSON object per step on stdout; exits 1
on any failure.
"""

import argparse
import glob
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import grpc


def generate_stubs(protos_dir, out_dir):
    """Compiles every Brobygger proto to Python modules in out_dir.

    Only protos/brobygger: protos/google holds copies of google.rpc that
    the installed packages already provide.
    """
    protoc = shutil.which("protoc")
    plugin = shutil.which("grpc_python_plugin")
    if not protoc or not plugin:
        raise RuntimeError("install protobuf-compiler and protobuf-compiler-grpc")
    files = sorted(glob.glob(os.path.join(protos_dir, "brobygger", "**", "*.proto"),
                             recursive=True))
    subprocess.run([protoc, f"-I{protos_dir}", f"--python_out={out_dir}",
                    f"--plugin=protoc-gen-grpc_python={plugin}",
                    f"--grpc_python_out={out_dir}", *files], check=True)
    sys.path.insert(0, out_dir)


def print_step(step, **fields):
    print(json.dumps({"step": step, **fields}, ensure_ascii=False), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addr", default=os.environ.get(
        "BROBYGGER_MATCHING_ADDR", "127.0.0.1:50053"))
    parser.add_argument("--municipality",
                        default=os.environ.get("BROBYGGER_MUNICIPALITY"))
    parser.add_argument("--match", default="")
    parser.add_argument("--wait-seconds", type=float, default=60)
    parser.add_argument("--protos", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "protos"))
    args = parser.parse_args()
    token = os.environ.get("BROBYGGER_TOKEN")
    if not token or not args.municipality:
        parser.error("set BROBYGGER_TOKEN and --municipality")

    with tempfile.TemporaryDirectory(prefix="brobygger-stubs-") as stubs:
        generate_stubs(os.path.abspath(args.protos), stubs)
        service = importlib.import_module(
            "brobygger.matching.v1.matching_service_pb2")
        service_grpc = importlib.import_module(
            "brobygger.matching.v1.matching_service_pb2_grpc")
        match_pb2 = importlib.import_module("brobygger.matching.v1.match_pb2")
        request_pb2 = importlib.import_module(
            "brobygger.matching.v1.volunteer_request_pb2")

        metadata = [("authorization", f"Bearer {token}")]
        with grpc.insecure_channel(args.addr) as channel:
            stub = service_grpc.MatchingServiceStub(channel)

            # 2. The proposals for our volunteers (the server narrows the
            # list to the organisation named in the token).
            listed = stub.ListMatches(
                service.ListMatchesRequest(
                    parent=f"municipalities/{args.municipality}",
                    filter="state = PROPOSED", page_size=50),
                metadata=metadata, timeout=10)
            for match in listed.matches:
                print_step("proposal", match=match.name,
                           volunteer=match.volunteer,
                           kind=request_pb2.MatchKind.Name(match.kind),
                           score=match.proposal.score,
                           reasons=[c.explanation for c in match.proposal.criteria])
            chosen = args.match or (listed.matches[0].name if listed.matches else "")
            if not chosen:
                raise RuntimeError("no proposals for this organisation's volunteers")

            # 3. The volunteer said yes.
            accepted = stub.AcceptMatch(service.AcceptMatchRequest(name=chosen),
                                        metadata=metadata, timeout=10)
            print_step("accepted", match=accepted.name,
                       state=match_pb2.Match.State.Name(accepted.state))

            # 4. Watch it until the municipality confirms the first meeting.
            deadline = time.monotonic() + args.wait_seconds
            state = accepted.state
            while state != match_pb2.Match.STATE_ACTIVE:
                if state == match_pb2.Match.STATE_ENDED:
                    raise RuntimeError(f"{chosen} ended before it began")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{chosen} is still "
                                       f"{match_pb2.Match.State.Name(state)}")
                time.sleep(0.25)
                state = stub.GetMatch(service.GetMatchRequest(name=chosen),
                                      metadata=metadata, timeout=10).state
            print_step("active", match=chosen,
                       state=match_pb2.Match.State.Name(state))


if __name__ == "__main__":
    try:
        main()
    except grpc.RpcError as error:
        print(f"ngo_app: {error.code().name}: {error.details()}", file=sys.stderr)
        sys.exit(1)
    except Exception as error:  # noqa: BLE001 - a command-line example
        print(f"ngo_app: {error}", file=sys.stderr)
        sys.exit(1)
