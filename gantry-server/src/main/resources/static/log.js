// The log view: the task's log over server-sent events, following the tail. The browser's EventSource reconnects by
// itself and sends the last event id, so the server resumes at the next line; nothing is shown twice.
// Lines are grouped in a section per step (collapsible, with the step's status, duration and exit code, from the
// build's steps and where each starts in the log), each has a link (#L12) and, on demand, when it was printed;
// a search box marks the matching lines and steps through them.
(function () {
  const log = document.getElementById('log');
  const state = document.getElementById('log-state');
  const follow = document.getElementById('follow');
  const times = document.getElementById('timestamps');
  const search = document.getElementById('log-search');
  const count = document.getElementById('search-count');
  const task = log.dataset.task;
  const lines = []; // by line number (0-based): its element
  const sections = []; // one per step whose first line is known, in step order
  const prelude = document.createElement('div');
  prelude.className = 'body prelude';
  log.appendChild(prelude);
  let received = 0;
  let ended = false;
  let query = '';
  let current = -1;

  const target = /^#L(\d+)$/.exec(location.hash);
  let wanted = target ? Number(target[1]) - 1 : -1;
  if (wanted >= 0) {
    follow.checked = false;
  }

  function pad(n, width) {
    return String(n).padStart(width, '0');
  }

  function clock(ms) {
    const d = new Date(ms);
    return pad(d.getUTCHours(), 2) + ':' + pad(d.getUTCMinutes(), 2) + ':' + pad(d.getUTCSeconds(), 2) + '.'
      + pad(d.getUTCMilliseconds(), 3);
  }

  function duration(ms) {
    if (ms == null) {
      return '';
    }
    if (ms < 1000) {
      return ms + ' ms';
    }
    const s = ms / 1000;
    if (s < 60) {
      return s.toFixed(1) + ' s';
    }
    const m = Math.floor(s / 60);
    return m + ' min ' + Math.round(s - 60 * m) + ' s';
  }

  function makeLine(n, html, text, at) {
    const div = document.createElement('div');
    div.className = 'line';
    div.id = 'L' + (n + 1);
    div.dataset.n = String(n);
    const link = document.createElement('a');
    link.className = 'ln';
    link.href = '#L' + (n + 1);
    link.dataset.n = String(n + 1);
    div.appendChild(link);
    if (at != null) {
      const ts = document.createElement('span');
      ts.className = 'ts';
      ts.dataset.ts = clock(at);
      ts.title = new Date(at).toISOString();
      div.appendChild(ts);
    }
    const body = document.createElement('span');
    body.className = 'text';
    if (html != null) {
      body.innerHTML = html;
    } else {
      body.textContent = text;
    }
    div.appendChild(body);
    lines[n] = div;
    mark(div);
    return div;
  }

  function containerFor(n) {
    let c = prelude;
    for (const s of sections) {
      if (s.first > n) {
        break;
      }
      c = s.body;
    }
    return c;
  }

  function place(div) {
    const n = Number(div.dataset.n);
    const c = containerFor(n);
    const last = c.lastElementChild;
    if (!last || Number(last.dataset.n) < n) {
      c.appendChild(div);
      return;
    }
    for (const child of c.children) {
      if (Number(child.dataset.n) > n) {
        c.insertBefore(div, child);
        return;
      }
    }
    c.appendChild(div);
  }

  function relayout() {
    lines.forEach((div) => {
      if (div) {
        containerFor(Number(div.dataset.n)).appendChild(div);
      }
    });
  }

  function summarize(section, step) {
    const s = section.summary;
    s.textContent = '';
    const name = document.createElement('span');
    name.className = 'step-name';
    name.textContent = step.name;
    const badge = document.createElement('span');
    badge.className = 'badge status-' + step.status.replace(/\s+/g, '-');
    badge.textContent = step.status;
    const sub = document.createElement('span');
    sub.className = 'sub';
    const parts = [];
    if (step.duration_ms != null) {
      parts.push(duration(step.duration_ms));
    }
    if (step.exit_code != null) {
      parts.push(step.exit_code >= 0 ? 'exit ' + step.exit_code : 'no exit code');
    }
    sub.textContent = parts.join(' · ');
    s.append(name, ' ', badge, ' ', sub);
    section.el.dataset.status = step.status;
    section.el.dataset.duration = step.duration_ms == null ? '' : String(step.duration_ms);
    section.el.dataset.exit = step.exit_code == null ? '' : String(step.exit_code);
  }

  function showSteps(steps) {
    let added = false;
    steps.filter((st) => st.first_line != null).forEach((st) => {
      let section = sections.find((s) => s.seq === st.seq);
      if (!section) {
        const el = document.createElement('details');
        el.className = 'section';
        el.open = true;
        el.dataset.seq = String(st.seq);
        const summary = document.createElement('summary');
        const body = document.createElement('div');
        body.className = 'body';
        el.append(summary, body);
        log.appendChild(el);
        section = { seq: st.seq, first: st.first_line, el, summary, body };
        sections.push(section);
        added = true;
      }
      section.first = st.first_line;
      summarize(section, st);
    });
    if (added) {
      relayout();
    }
  }

  async function loadSteps() {
    try {
      const response = await fetch(log.dataset.build);
      if (response.ok) {
        const build = await response.json();
        showSteps((build.steps && build.steps[task]) || []);
      }
    } catch (e) {
      // the next poll tries again
    }
  }

  function reveal(div) {
    for (let p = div.parentElement; p && p !== log; p = p.parentElement) {
      if (p.tagName === 'DETAILS') {
        p.open = true;
      }
    }
    div.scrollIntoView({ block: 'center' });
  }

  function highlightTarget() {
    if (wanted < 0 || !lines[wanted]) {
      return;
    }
    document.querySelectorAll('.line.target').forEach((l) => l.classList.remove('target'));
    lines[wanted].classList.add('target');
    reveal(lines[wanted]);
    wanted = -1;
  }

  function mark(div) {
    const on = query !== '' && div.textContent.toLowerCase().includes(query);
    div.classList.toggle('match', on);
  }

  function matches() {
    return Array.from(log.querySelectorAll('.line.match'));
  }

  function countMatches() {
    const n = query === '' ? 0 : matches().length;
    count.textContent = query === '' ? '' : n + (n === 1 ? ' matching line' : ' matching lines');
  }

  search.addEventListener('input', () => {
    query = search.value.trim().toLowerCase();
    current = -1;
    lines.forEach((div) => div && mark(div));
    log.querySelectorAll('.line.current').forEach((l) => l.classList.remove('current'));
    countMatches();
  });
  search.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') {
      return;
    }
    e.preventDefault();
    const found = matches();
    if (found.length === 0) {
      return;
    }
    follow.checked = false;
    log.querySelectorAll('.line.current').forEach((l) => l.classList.remove('current'));
    current = (current + (e.shiftKey ? found.length - 1 : 1)) % found.length;
    found[current].classList.add('current');
    reveal(found[current]);
  });

  function showTimes() {
    log.classList.toggle('times', times.checked);
  }
  times.checked = localStorage.getItem('gantry.log.times') === 'true';
  times.addEventListener('change', () => {
    localStorage.setItem('gantry.log.times', String(times.checked));
    showTimes();
  });
  showTimes();

  window.addEventListener('hashchange', () => {
    const m = /^#L(\d+)$/.exec(location.hash);
    if (m) {
      wanted = Number(m[1]) - 1;
      follow.checked = false;
      highlightTarget();
    }
  });

  const source = new EventSource(log.dataset.stream + '?from=' + log.dataset.from);
  source.addEventListener('open', () => { state.textContent = 'live'; });
  source.addEventListener('lines', (e) => {
    const batch = JSON.parse(e.data);
    const first = Number(e.lastEventId) - batch.length;
    batch.forEach((l, i) => place(makeLine(first + i, l.html, null, l.at)));
    received += batch.length;
    log.dataset.received = String(received);
    log.dataset.next = e.lastEventId;
    countMatches();
    if (wanted >= 0 && wanted < Number(log.dataset.from)) {
      loadEarlier(wanted);
    }
    highlightTarget();
    if (follow.checked) {
      window.scrollTo(0, document.body.scrollHeight);
    }
  });
  source.addEventListener('end', async () => {
    state.textContent = 'ended';
    ended = true;
    source.close();
    await loadSteps();
    log.dataset.ended = 'true';
    highlightTarget();
  });
  source.addEventListener('error', () => {
    if (!ended) {
      state.textContent = 'reconnecting…';
    }
  });

  loadSteps();
  const poll = setInterval(() => {
    if (ended) {
      clearInterval(poll);
    } else {
      loadSteps();
    }
  }, 2000);

  const earlier = document.getElementById('earlier');

  // loads the lines before those shown, down to line `until` (0-based), a page of at most 1000 at a time
  async function loadEarlier(until) {
    while (earlier && earlier.isConnected) {
      const before = Number(earlier.dataset.before);
      if (before <= until || before === 0) {
        break;
      }
      const from = Math.max(0, before - 1000);
      earlier.dataset.before = String(from); // a second click while this one loads asks for the page before
      const response = await fetch(log.dataset.lines + '?from=' + from + '&limit=' + (before - from));
      const page = await response.json();
      page.lines.forEach((text, i) => place(makeLine(from + i, null,
        text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, ''), page.times ? page.times[i] : null)));
      log.dataset.from = String(from);
      if (from === 0) {
        earlier.remove();
      } else {
        earlier.textContent = 'show ' + from + ' earlier lines';
      }
      countMatches();
      if (until < 0) {
        break;
      }
    }
    highlightTarget();
  }

  if (earlier) {
    earlier.addEventListener('click', () => loadEarlier(-1));
  }
})();
