// Captures the SDP of the two independent peers peerhub interoperates with besides browsers, for the SDP
// parser's test vectors: node-datachannel (libdatachannel 0.33) and werift (pure TypeScript 0.24). They are
// not dependencies of the repository: install them anywhere (`npm i node-datachannel werift` in a scratch
// folder) and pass that folder's node_modules. Run once, inside a namespace with only loopback:
//
//   unshare -n sh -c 'ip link set lo up && node tests/unit/sdp_vectors/capture_node_peers.mjs \
//     /tmp/scratch/node_modules tests/unit/sdp_vectors'
//
// Writes, with the line ends each peer produced:
//   libdatachannel_offer_candidates.sdp    a data-channel offer once gathering completed (bound to 127.0.0.1)
//   libdatachannel_answer_to_peerhub.sdp   its answer to peerhub_offer_datachannel.sdp (make_offer's output)
//   werift_offer_candidates.sdp            the same for werift (iceAdditionalHostAddresses: 127.0.0.1)
//   werift_answer_to_peerhub.sdp
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = path.resolve(process.argv[2] || 'node_modules');
const outDir = path.resolve(process.argv[3] || '.');
const require = createRequire(path.join(modules, 'resolve-from-here.js'));
const ndc = (await import(pathToFileURL(require.resolve('node-datachannel')))).default;
const werift = await import(pathToFileURL(require.resolve('werift')));
const peerhubOffer = readFileSync(path.join(outDir, 'peerhub_offer_datachannel.sdp'), 'utf8');

function save(name, sdp) {
  writeFileSync(path.join(outDir, name), sdp);
  console.log(`${name}: ${sdp.split('\n').length - 1} lines`);
}

// libdatachannel: the description once gathering is complete.
function ndcGathered(setup) {
  return new Promise((resolve) => {
    const pc = new ndc.PeerConnection('capture', { iceServers: [], bindAddress: '127.0.0.1' });
    pc.onGatheringStateChange((state) => {
      if (state !== 'complete') return;
      const sdp = pc.localDescription().sdp;
      pc.close();
      resolve(sdp);
    });
    setup(pc);
  });
}

save('libdatachannel_offer_candidates.sdp', await ndcGathered((pc) => pc.createDataChannel('chat')));
save('libdatachannel_answer_to_peerhub.sdp', await ndcGathered((pc) => pc.setRemoteDescription(peerhubOffer, 'offer')));
ndc.cleanup();

async function weriftGathered(pc) {
  await new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') resolve();
    pc.iceGatheringStateChange.subscribe((state) => state === 'complete' && resolve());
  });
  const sdp = pc.localDescription.sdp;
  await pc.close();
  return sdp;
}

const options = { iceAdditionalHostAddresses: ['127.0.0.1'] };
const offerer = new werift.RTCPeerConnection(options);
offerer.createDataChannel('chat');
await offerer.setLocalDescription(await offerer.createOffer());
save('werift_offer_candidates.sdp', await weriftGathered(offerer));
const answerer = new werift.RTCPeerConnection(options);
await answerer.setRemoteDescription({ type: 'offer', sdp: peerhubOffer });
await answerer.setLocalDescription(await answerer.createAnswer());
save('werift_answer_to_peerhub.sdp', await weriftGathered(answerer));
process.exit(0);
