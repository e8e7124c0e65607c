// The landing page: says whether this server's signaling endpoint answers.
import { defaultSignalingUrl } from './signaling.js';

const line = document.getElementById('conn-status');
const url = defaultSignalingUrl();
document.getElementById('endpoint').textContent = url;

const socket = new WebSocket(url);
socket.onopen = () => {
  line.textContent = 'Server reachable.';
  line.dataset.state = 'ready';
  socket.close(1000);
};
socket.onerror = () => {
  line.textContent = 'The signaling server cannot be reached.';
  line.dataset.state = 'reconnecting';
};
