// An NGO's app, the way the NGO's own developers would write it against
// Brobygger's public gRPC contract (brobygger.matching.v1), in Node.js:
//
//   1. authenticate with the organisation's token (role ngo_app),
//   2. list the match proposals for the organisation's volunteers, with
//      the reasons Brobygger gives for each,
//   3. accept one (the volunteer said yes in the app),
//   4. watch the match until the municipality makes it active.
//
// Usage:
//   BROBYGGER_TOKEN=... node ngo_app.js --addr 127.0.0.1:50053 \
//       --municipality aalborg [--match NAME] [--wait-seconds 60]
//
// The protos are loaded at run time from ../../protos (or --protos DIR).
// Prints one JSON object per step on stdout; exits 1 on any failure.
"use strict";

const path = require("path");
const grpc = require("@grpc/grpc-js");
const protoLoader = require("@grpc/proto-loader");

function parseArgs(argv) {
  const args = {
    addr: process.env.BROBYGGER_MATCHING_ADDR || "127.0.0.1:50053",
    municipality: process.env.BROBYGGER_MUNICIPALITY || "",
    match: "",
    waitSeconds: 60,
    protos: path.join(__dirname, "..", "..", "protos"),
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === "--addr") args.addr = value;
    else if (flag === "--municipality") args.municipality = value;
    else if (flag === "--match") args.match = value;
    else if (flag === "--wait-seconds") args.waitSeconds = Number(value);
    else if (flag === "--protos") args.protos = value;
    else throw new Error(`unknown option ${flag}`);
  }
  if (!args.municipality) throw new Error("--municipality is required");
  args.token = process.env.BROBYGGER_TOKEN || "";
  if (!args.token) throw new Error("set BROBYGGER_TOKEN to the app's token");
  return args;
}

function loadMatchingService(protosDir) {
  const definition = protoLoader.loadSync(
    "brobygger/matching/v1/matching_service.proto",
    {
      includeDirs: [protosDir],
      keepCase: true,   // field names as in the .proto files
      enums: String,    // enum values by name, e.g. "STATE_PROPOSED"
      defaults: true,
      longs: String,
    });
  return grpc.loadPackageDefinition(definition).brobygger.matching.v1
    .MatchingService;
}

// A unary call with the bearer token and a deadline, as a promise.
function call(client, method, request, token, seconds = 10) {
  const metadata = new grpc.Metadata();
  metadata.add("authorization", `Bearer ${token}`);
  const deadline = new Date(Date.now() + seconds * 1000);
  return new Promise((resolve, reject) => {
    client[method](request, metadata, { deadline }, (error, response) => {
      if (error) {
        reject(new Error(`${method}: ${grpc.status[error.code]}: ${error.details}`));
      } else {
        resolve(response);
      }
    });
  });
}

function print(step, fields) {
  console.log(JSON.stringify({ step, ...fields }));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const MatchingService = loadMatchingService(args.protos);
  const client = new MatchingService(args.addr, grpc.credentials.createInsecure());

  // 2. The proposals for our volunteers (the server narrows the list to
  // the organisation named in the token).
  const listed = await call(client, "ListMatches", {
    parent: `municipalities/${args.municipality}`,
    filter: "state = PROPOSED",
    page_size: 50,
  }, args.token);
  for (const match of listed.matches) {
    const reasons = (match.proposal ? match.proposal.criteria : [])
      .map((criterion) => criterion.explanation);
    print("proposal", {
      match: match.name,
      volunteer: match.volunteer,
      kind: match.kind,
      score: match.proposal ? match.proposal.score : 0,
      reasons,
    });
  }
  const chosen = args.match ||
    (listed.matches.length > 0 ? listed.matches[0].name : "");
  if (!chosen) throw new Error("no proposals for this organisation's volunteers");

  // 3. The volunteer said yes.
  const accepted = await call(client, "AcceptMatch", { name: chosen }, args.token);
  print("accepted", { match: accepted.name, state: accepted.state });

  // 4. Watch it until the municipality confirms the first meeting.
  const deadline = Date.now() + args.waitSeconds * 1000;
  let state = accepted.state;
  while (state !== "STATE_ACTIVE") {
    if (state === "STATE_ENDED") throw new Error(`${chosen} ended before it began`);
    if (Date.now() > deadline) throw new Error(`${chosen} is still ${state}`);
    await sleep(250);
    state = (await call(client, "GetMatch", { name: chosen }, args.token)).state;
  }
  print("active", { match: chosen, state });
  client.close();
}

main().catch((error) => {
  console.error(`ngo_app: ${error.message}`);
  process.exit(1);
});
