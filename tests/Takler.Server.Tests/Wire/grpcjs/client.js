// Drives a running takler_server with grpc-js, a real gRPC implementation: every Takler RPC with its
// success and error answers, Takler's recorded session (server_session.transcript.txt), and the
// transport's failure cases. Prints one JSON object { steps: [...] } with what came back.
// Run by GrpcJsServerWireTests: node client.js <port> <proto file> <session load file>.
'use strict';

const fs = require('node:fs');
const http2 = require('node:http2');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const [port, protoFile, sessionFile] = [Number(process.argv[2]), process.argv[3], process.argv[4]];
const target = `127.0.0.1:${port}`;
const service = '/takler_protocol.TaklerServer/';

const definition = protoLoader.loadSync(protoFile, {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});
const takler = grpc.loadPackageDefinition(definition).takler_protocol;
// Takler's clients dial with no channel options and send no metadata.
const client = new takler.TaklerServer(target, grpc.credentials.createInsecure());

const steps = [];

function outcome(err, response) {
  if (err) return { code: err.code, details: err.details };
  return { code: 0, response };
}

function unary(method, request, metadata) {
  return new Promise((resolve) => {
    const md = new grpc.Metadata();
    for (const [key, value] of Object.entries(metadata || {})) md.add(key, value);
    client[method](request, md, { deadline: new Date(Date.now() + 10000) }, (err, response) => resolve(outcome(err, response)));
  });
}

// One named step: the RPC, its request and what came back.
async function step(name, method, request, metadata) {
  const result = await unary(method, request, metadata);
  steps.push({ name, method, ...result });
  return result;
}

const child = (path) => ({ node_path: path });

function unknownMethod() {
  return new Promise((resolve) => {
    client.makeUnaryRequest(`${service}NoSuchMethod`, (v) => v, (v) => v, Buffer.alloc(0), new grpc.Metadata(), {},
      (err, response) => resolve(outcome(err, response)));
  });
}

// A hand-made HTTP/2 request, to send what no gRPC library would.
function raw(method, body) {
  return new Promise((resolve) => {
    const session = http2.connect(`http://${target}`);
    session.on('error', (err) => resolve({ error: String(err) }));
    const request = session.request({
      ':method': 'POST', ':path': service + method, 'content-type': 'application/grpc', te: 'trailers',
    });
    let headers = {};
    let trailers = {};
    request.on('response', (h) => { headers = h; });
    request.on('trailers', (t) => { trailers = t; });
    request.on('data', () => {});
    request.on('error', (err) => { session.close(); resolve({ error: String(err) }); });
    request.on('close', () => {
      session.close();
      resolve({
        httpStatus: headers[':status'],
        grpcStatus: Number(trailers['grpc-status'] ?? headers['grpc-status']),
        grpcMessage: trailers['grpc-message'] ?? headers['grpc-message'] ?? null,
      });
    });
    request.end(body);
  });
}

function frame(flag, declaredLength, payload) {
  const header = Buffer.alloc(5);
  header[0] = flag;
  header.writeUInt32BE(declaredLength, 1);
  return Buffer.concat([header, payload]);
}

async function transcript(session) {
  // The command sequence of Takler's server_session.transcript.txt, in order.
  await step('ping', 'RunRequestPing', {});
  await step('load', 'RunCommandLoad', { flow_type: 'json', flow: session });
  await step('show.loaded', 'RunRequestShow', {});
  await step('suspend', 'RunCommandSuspend', { node_path: ['/demo/t2', '/demo/c1'] });
  await step('begin', 'RunCommandBegin', { flow_name: 'demo' });
  await step('show.begun', 'RunRequestShow', {});
  await step('init', 'RunCommandInit', { child_options: child('/demo/t1'), task_id: 'job-42' });
  await step('event', 'RunCommandEvent', { child_options: child('/demo/t1'), event_name: 'e1' });
  await step('meter', 'RunCommandMeter', { child_options: child('/demo/t1'), meter_name: 'm1', meter_value: '5' });
  await step('show.active', 'RunRequestShow', {});
  await step('complete', 'RunCommandComplete', { child_options: child('/demo/t1') });
  await step('run', 'RunCommandRun', { node_path: ['/demo/t2'] });
  await step('abort', 'RunCommandAbort', { child_options: child('/demo/t2'), reason: 'boom' });
  await step('show.aborted', 'RunRequestShow', {});
  await step('requeue', 'RunCommandRequeue', { node_path: ['/demo/t2'] });
  await step('run.again', 'RunCommandRun', { node_path: ['/demo/t2'] });
  await step('run.refused', 'RunCommandRun', { node_path: ['/demo/t2'] });
  await step('force.aborted', 'RunCommandForce', { state: 'aborted', recursive: false, path: ['/demo/c1/t3'] });
  await step('force.clear', 'RunCommandForce', { state: 'clear', recursive: true, path: ['/demo/t1:e1'] });
  await step('freeDep', 'RunCommandFreeDep', { dep_type: 'trigger', path: ['/demo/c1/t3'] });
  await step('resume', 'RunCommandResume', { node_path: ['/demo/c1'] });
  await step('show.all', 'RunRequestShow', { show_trigger: true, show_parameter: true, show_limit: true, show_event: true, show_meter: true });
  await step('coroutine', 'QueryCoroutine', {});
  // The transcript's failures.
  await step('complete.notFound', 'RunCommandComplete', { child_options: child('/demo/nope') });
  await step('init.nodeType', 'RunCommandInit', { child_options: child('/demo/c1'), task_id: 'x' });
  await step('begin.already', 'RunCommandBegin', { flow_name: 'demo' });
  await step('begin.notFound', 'RunCommandBegin', { flow_name: 'nope' });
  await step('meter.outOfRange', 'RunCommandMeter', { child_options: child('/demo/t1'), meter_name: 'm1', meter_value: '50' });
  await step('force.eventComplete', 'RunCommandForce', { state: 'complete', recursive: true, path: ['/demo/t1:e1'] });
  await step('load.badJson', 'RunCommandLoad', { flow_type: 'json', flow: Buffer.from('{bad') });
  await step('requeue.relative', 'RunCommandRequeue', { node_path: ['demo'] });
  await step('show.final', 'RunRequestShow', {});
}

async function moreCases(session) {
  // A second flow, loaded and never begun.
  const idle = JSON.parse(session.toString('utf8'));
  idle.name = 'idle';
  await step('idle.load', 'RunCommandLoad', { flow_type: 'json', flow: Buffer.from(JSON.stringify(idle)) });
  await step('idle.requeue', 'RunCommandRequeue', { node_path: ['/idle'] });
  await step('idle.run', 'RunCommandRun', { node_path: ['/idle/t1'] });
  await step('idle.force', 'RunCommandForce', { state: 'complete', recursive: true, path: ['/idle/t1'] });
  await step('idle.freeDep', 'RunCommandFreeDep', { dep_type: 'all', path: ['/idle/t1'] });
  await step('idle.suspend', 'RunCommandSuspend', { node_path: ['/idle/t1'] });
  await step('idle.resume', 'RunCommandResume', { node_path: ['/idle/t1'] });
  await step('load.flowType', 'RunCommandLoad', { flow_type: 'yaml', flow: session });
  await step('suspend.notFound', 'RunCommandSuspend', { node_path: ['/idle/nope'] });
  await step('resume.slash', 'RunCommandResume', { node_path: ['/'] });
  await step('run.notFound', 'RunCommandRun', { node_path: ['/demo/nope'] });
  await step('force.setNode', 'RunCommandForce', { state: 'set', recursive: true, path: ['/demo/t1'] });
  await step('force.unknownEvent', 'RunCommandForce', { state: 'set', recursive: true, path: ['/demo/t1:nope'] });
  await step('freeDep.relative', 'RunCommandFreeDep', { dep_type: 'time', path: ['demo/t1'] });
  await step('abort.nodeType', 'RunCommandAbort', { child_options: child('/demo'), reason: 'x' });
  await step('event.relative', 'RunCommandEvent', { child_options: child('t1'), event_name: 'e1' });
  await step('meter.notFound', 'RunCommandMeter', { child_options: child('/demo/t0'), meter_name: 'm1', meter_value: '1' });
  await step('begin.all.already', 'RunCommandBegin', { flow_name: '' });
  await step('begin.force', 'RunCommandBegin', { flow_name: 'idle', force: true });
  await step('begin.again', 'RunCommandBegin', { flow_name: 'idle', force: true });
  // A begun flow's task, driven by a job that sends no password, as Takler's own jobs do.
  await step('idle.run.begun', 'RunCommandRun', { node_path: ['/idle/t2'], force: true });
  await step('idle.init', 'RunCommandInit', { child_options: child('/idle/t2'), task_id: 'pid-1' });
  await step('idle.event.unknown', 'RunCommandEvent', { child_options: child('/idle/t2'), event_name: 'nope' });
  await step('idle.meter.unknown', 'RunCommandMeter', { child_options: child('/idle/t2'), meter_name: 'nope', meter_value: '3' });
  await step('idle.complete', 'RunCommandComplete', { child_options: child('/idle/t2') });
}

async function transportCases() {
  const t = {};
  t.unknownMethod = await unknownMethod();
  // Definition loads may be larger (256 MiB); every other request is limited to 4 MiB.
  t.tooLarge = await unary('RunCommandSuspend', { node_path: ['/' + 'a'.repeat(5 * 1024 * 1024)] });
  t.pingAfterTooLarge = await unary('RunRequestPing', {});
  t.rawTruncated = await raw('RunRequestPing', frame(0, 10, Buffer.from([1, 2])));
  t.rawCompressed = await raw('RunRequestPing', frame(1, 0, Buffer.alloc(0)));
  t.rawBadProtobuf = await raw('RunCommandInit', frame(0, 3, Buffer.from([0x0a, 0x05, 0x01])));
  t.rawHugeLength = await raw('RunCommandMeter', frame(0, 0x7fffffff, Buffer.from([1, 2, 3])));
  t.pingAfterRaw = await unary('RunRequestPing', {});
  // Many calls at once on one connection, as a busy suite's jobs would send them.
  const parallel = await Promise.all(Array.from({ length: 64 }, () => unary('RunRequestPing', {})));
  t.parallelPings = { code: parallel.every((r) => r.code === 0) ? 0 : 2, count: parallel.length };
  return t;
}

async function main() {
  const session = fs.readFileSync(sessionFile);
  await transcript(session);
  await moreCases(session);
  const transport = await transportCases();
  client.close();
  process.stdout.write(JSON.stringify({ steps, transport }) + '\n');
}

const watchdog = setTimeout(() => {
  process.stderr.write('client.js: no result after 90 s\n');
  process.exit(2);
}, 90000);
watchdog.unref();

main().catch((err) => {
  process.stderr.write(`client.js failed: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
