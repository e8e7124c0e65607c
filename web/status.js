// Shows whether the signaling WebSocket of this server answers a login.
const status = document.getElementById('status');
const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
document.getElementById('endpoint').textContent = url;

const socket = new WebSocket(url);
socket.onopen = () => socket.send(JSON.stringify({ type: 'list' }));
socket.onmessage = (event) => {
  const message = JSON.parse(event.data);
  status.textContent = 'reachable';
  status.className = 'ok';
  if (message.type === 'error') status.textContent = 'reachable (log in to list who is online)';
  socket.close();
};
socket.onerror = () => {
  status.textContent = 'not reachable';
  status.className = 'bad';
};
