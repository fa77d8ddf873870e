// Drives a Takler.Protocol server with grpc-js, a real gRPC implementation, and prints one JSON
// object with what came back. Run by GrpcJsInteropTests: node client.js <port> [proto file].
'use strict';

const path = require('node:path');
const http2 = require('node:http2');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const port = Number(process.argv[2]);
const protoFile = process.argv[3] || path.join(__dirname, '../../../src/Takler.Protocol/Protos/takler.proto');
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
const methods = definition['takler_protocol.TaklerServer'];
const client = new takler.TaklerServer(target, grpc.credentials.createInsecure());

function outcome(err, response) {
  if (err) {
    const trailers = {};
    for (const [key, value] of Object.entries(err.metadata ? err.metadata.getMap() : {})) {
      trailers[key] = Buffer.isBuffer(value) ? value.toString('base64') : value;
    }
    return { code: err.code, details: err.details, trailers };
  }
  return { code: 0, response };
}

function unary(method, request, { metadata = {}, deadlineMs } = {}) {
  return new Promise((resolve) => {
    const md = new grpc.Metadata();
    for (const [key, value] of Object.entries(metadata)) md.add(key, value);
    const options = deadlineMs ? { deadline: new Date(Date.now() + deadlineMs) } : {};
    client[method](request, md, options, (err, response) => resolve(outcome(err, response)));
  });
}

function unknownMethod() {
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      `${service}NoSuchMethod`,
      (value) => value,
      (value) => value,
      Buffer.alloc(0),
      new grpc.Metadata(),
      {},
      (err, response) => resolve(outcome(err, response)),
    );
  });
}

function serverStream(request) {
  return new Promise((resolve) => {
    const names = [];
    const call = client.makeServerStreamRequest(
      '/takler_test.Streams/Count',
      methods.RequestTree.requestSerialize,
      methods.RequestTree.responseDeserialize,
      request,
      new grpc.Metadata(),
      {},
    );
    call.on('data', (answer) => names.push(...answer.nodes.map((node) => node.name)));
    call.on('error', (err) => resolve({ ...outcome(err), names }));
    call.on('status', (status) => {
      if (status.code === 0) resolve({ code: 0, names });
    });
  });
}

// A hand-made HTTP/2 request, to send what no gRPC library would.
function raw(method, body, headers = {}) {
  return new Promise((resolve) => {
    const session = http2.connect(`http://${target}`);
    session.on('error', (err) => resolve({ error: String(err) }));
    const request = session.request({
      ':method': 'POST',
      ':path': service + method,
      'content-type': 'application/grpc',
      te: 'trailers',
      ...headers,
    });
    let responseHeaders = {};
    let trailers = {};
    let bodyLength = 0;
    request.on('response', (h) => { responseHeaders = h; });
    request.on('trailers', (t) => { trailers = t; });
    request.on('data', (chunk) => { bodyLength += chunk.length; });
    request.on('error', (err) => { session.close(); resolve({ error: String(err) }); });
    request.on('close', () => {
      session.close();
      resolve({
        httpStatus: responseHeaders[':status'],
        contentType: responseHeaders['content-type'] || null,
        trailersOnly: 'grpc-status' in responseHeaders,
        grpcStatus: Number(trailers['grpc-status'] ?? responseHeaders['grpc-status']),
        grpcMessage: trailers['grpc-message'] ?? responseHeaders['grpc-message'] ?? null,
        bodyLength,
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

async function main() {
  const results = {};
  results.ping = await unary('RunRequestPing', {});
  results.init = await unary(
    'RunCommandInit',
    { child_options: { node_path: '/flow/task' }, task_id: '4242' },
    { metadata: { 'takler-pass': 'secret-pass', 'takler-user': 'ops' } },
  );
  results.show = await unary('RunRequestShow', { show_trigger: true });
  results.abortFlag = await unary('RunCommandAbort', { child_options: { node_path: '/nope' }, reason: 'x' });
  results.abortError = await unary('RunCommandAbort', { child_options: { node_path: '/f/t' }, reason: 'fail: ünïcödé 中文 100% done' });
  results.status = await unary('RequestStatus', { node_path: '/flow/task' });
  results.unknownMethod = await unknownMethod();
  results.deadline = await unary('QueryCoroutine', {}, { deadlineMs: 300 });
  results.tooLarge = await unary('RunCommandLoad', { flow_type: 'json', flow: Buffer.alloc(5 * 1024 * 1024, 0x61) });
  results.pingAfterTooLarge = await unary('RunRequestPing', {});
  results.stream = await serverStream({ max_depth: 5 });
  results.streamFailure = await serverStream({ root_path: 'fail' });
  results.rawTruncated = await raw('RunRequestPing', frame(0, 10, Buffer.from([1, 2])));
  results.rawCompressed = await raw('RunRequestPing', frame(1, 0, Buffer.alloc(0)));
  results.rawBadProtobuf = await raw('RunRequestPing', frame(0, 3, Buffer.from([0x0a, 0x05, 0x01])));
  results.rawWrongContentType = await raw('RunRequestPing', frame(0, 0, Buffer.alloc(0)), { 'content-type': 'application/json' });
  results.rawOk = await raw('RunRequestPing', frame(0, 0, Buffer.alloc(0)));
  results.pingAtEnd = await unary('RunRequestPing', {});
  client.close();
  process.stdout.write(JSON.stringify(results) + '\n');
}

const watchdog = setTimeout(() => {
  process.stderr.write('client.js: no result after 60 s\n');
  process.exit(2);
}, 60000);
watchdog.unref();

main().catch((err) => {
  process.stderr.write(`client.js failed: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
