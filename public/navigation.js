// Navigation helpers: copy buttons on code blocks, the current section in
// the "On this page" sidebar, and the 404 page's nearest-page suggestions.
// The pages are complete without it.
(function () {
  'use strict';

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand('copy');
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error('copy failed'));
    });
  }

  function startCopyButtons() {
    var status = document.createElement('p');
    status.className = 'sr-only';
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    var blocks = document.querySelectorAll('main article pre:not(.source)');
    if (!blocks.length) return;
    document.body.appendChild(status);
    Array.prototype.forEach.call(blocks, function (pre, index) {
      var wrap = document.createElement('div');
      wrap.className = 'code-block';
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(pre);
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'copy-button';
      button.textContent = 'Copy';
      button.setAttribute('aria-label', 'Copy code block ' + (index + 1));
      button.addEventListener('click', function () {
        var code = pre.querySelector('code') || pre;
        copyText(code.textContent.replace(/\n$/, '')).then(function () {
          button.textContent = 'Copied';
          button.setAttribute('data-copied', '');
          status.textContent = 'Code copied to the clipboard';
          window.setTimeout(function () { button.textContent = 'Copy'; button.removeAttribute('data-copied'); }, 2000);
        }, function () {
          status.textContent = 'Could not copy: select the code and copy it by hand';
        });
      });
      wrap.appendChild(button);
    });
  }

  function startOnThisPage() {
    var aside = document.querySelector('.on-this-page');
    if (!aside) return;
    var links = Array.prototype.slice.call(aside.querySelectorAll('a[href^="#"]'));
    var targets = links.map(function (a) { return document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1))); });
    var pending = false;
    function mark() {
      pending = false;
      var line = Math.min(window.innerHeight * 0.3, 160);
      var current = -1;
      for (var i = 0; i < targets.length; i++) {
        if (targets[i] && targets[i].getBoundingClientRect().top <= line) current = i;
      }
      // At the very bottom, the last section is the one being read.
      if (window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2) current = targets.length - 1;
      links.forEach(function (a, i) {
        if (i === current) a.setAttribute('aria-current', 'location');
        else a.removeAttribute('aria-current');
      });
    }
    window.addEventListener('scroll', function () {
      if (!pending) { pending = true; window.requestAnimationFrame(mark); }
    }, { passive: true });
    mark();
  }

  /** Levenshtein distance, two rows. */
  function distance(a, b) {
    var prev = [], cur = [], i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      for (j = 1; j <= b.length; j++) {
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      prev = cur;
    }
    return prev[b.length];
  }

  /** How far a candidate path is from the requested one: per-segment edit distance, relative to length, plus missing or extra segments. */
  function score(wanted, candidate) {
    // Segments capped at 100 characters: the distance is quadratic, and an address can be any length.
    var cap = function (s) { return s.slice(0, 100); };
    var w = wanted.split('/').filter(Boolean).slice(0, 12).map(cap), c = candidate.split('/').filter(Boolean).map(cap);
    var total = 0;
    for (var i = 0; i < Math.max(w.length, c.length); i++) {
      var x = (w[i] || '').toLowerCase(), y = (c[i] || '').toLowerCase();
      total += distance(x, y) / Math.max(x.length, y.length, 1);
    }
    if (!w.length || !c.length) return total;
    // The last segment alone, whatever the folders (a short form such as `/t/<id>/`, a moved page), at a small cost.
    var x = w[w.length - 1].toLowerCase(), y = c[c.length - 1].toLowerCase();
    return Math.min(total, distance(x, y) / Math.max(x.length, y.length, 1) + 0.5);
  }

  function startSuggestions() {
    var box = document.querySelector('[data-suggest]');
    if (!box) return;
    var pages = JSON.parse(box.getAttribute('data-pages') || '[]');
    var base = box.getAttribute('data-base') || '/';
    var path = window.location.pathname;
    try { path = decodeURIComponent(path); } catch (e) { /* keep it encoded */ }
    var wanted = path.indexOf(base) === 0 ? path.slice(base.length) : path;
    var ranked = pages.map(function (p) {
      var rel = p.url.indexOf(base) === 0 ? p.url.slice(base.length) : p.url;
      var decoded = rel;
      try { decoded = decodeURIComponent(rel); } catch (e) { /* keep */ }
      return { page: p, score: score(wanted, decoded) };
    }).sort(function (a, b) { return a.score - b.score; }).slice(0, 5);
    if (!ranked.length || !wanted.replace(/\//g, '')) return;
    var list = box.querySelector('ol');
    ranked.forEach(function (r) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = r.page.url;
      a.textContent = r.page.title;
      var where = document.createElement('span');
      where.className = 'muted small';
      where.textContent = ' ' + r.page.url;
      li.appendChild(a);
      li.appendChild(where);
      list.appendChild(li);
    });
    box.hidden = false;
  }

  // Anchors land below the sticky header whatever its height (the stylesheet's fallback assumes two rows).
  function measureHeader() {
    var header = document.querySelector('.site-header');
    if (!header) return;
    var set = function () { document.documentElement.style.setProperty('--wm-header', header.offsetHeight + 'px'); };
    set();
    window.addEventListener('resize', set);
  }

  measureHeader();
  startCopyButtons();
  startOnThisPage();
  startSuggestions();
})();
