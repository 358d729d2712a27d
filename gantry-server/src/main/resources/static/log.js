// The live log view: the task's log over server-sent events, following the tail. The browser's EventSource
// reconnects by itself and sends the last event id, so the server resumes at the next line; nothing is shown twice.
(function () {
  const log = document.getElementById('log');
  const state = document.getElementById('log-state');
  const follow = document.getElementById('follow');
  let received = 0;

  function append(html) {
    const line = document.createElement('div');
    line.className = 'line';
    line.innerHTML = html;
    log.appendChild(line);
  }

  const source = new EventSource(log.dataset.stream + '?from=' + log.dataset.from);
  source.addEventListener('open', () => { state.textContent = 'live'; });
  source.addEventListener('lines', (e) => {
    const lines = JSON.parse(e.data);
    lines.forEach(append);
    received += lines.length;
    log.dataset.received = String(received);
    log.dataset.next = e.lastEventId;
    if (follow.checked) {
      window.scrollTo(0, document.body.scrollHeight);
    }
  });
  source.addEventListener('end', () => {
    state.textContent = 'ended';
    log.dataset.ended = 'true';
    source.close();
  });
  source.addEventListener('error', () => {
    if (log.dataset.ended !== 'true') {
      state.textContent = 'reconnecting…';
    }
  });

  const earlier = document.getElementById('earlier');
  if (earlier) {
    earlier.addEventListener('click', async () => {
      const before = Number(earlier.dataset.before);
      const from = Math.max(0, before - 1000);
      const response = await fetch(log.dataset.lines + '?from=' + from + '&limit=' + (before - from));
      const page = await response.json();
      const first = log.firstChild;
      page.lines.forEach((text) => {
        const line = document.createElement('div');
        line.className = 'line';
        line.textContent = text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
        log.insertBefore(line, first);
      });
      earlier.dataset.before = String(from);
      if (from === 0) {
        earlier.remove();
      } else {
        earlier.textContent = 'show ' + from + ' earlier lines';
      }
    });
  }
})();
