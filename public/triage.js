// Triage views: sorts and filters the process list and the problems page.
// The server-rendered page is complete without this script; the script shows
// the controls, applies them to the rows, and keeps their state in the query
// string (replaceState) so a filtered view can be shared as a link.
(function () {
  'use strict';

  var HEALTH_RANK = { deprecated: 0, broken: 1, 'needs-revalidation': 2, 'never-validated': 3, ok: 4 };

  function params() { return new URLSearchParams(window.location.search); }

  function writeQuery(form, defaults) {
    var url = new URL(window.location.href);
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name) return;
      var value = field.value;
      if (value && value !== (defaults[field.name] || '')) url.searchParams.set(field.name, value);
      else url.searchParams.delete(field.name);
    });
    window.history.replaceState(window.history.state, '', url);
  }

  function readQuery(form) {
    var query = params();
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || !query.has(field.name)) return;
      var value = query.get(field.name);
      if (Array.prototype.some.call(field.options || [], function (o) { return o.value === value; })) field.value = value;
    });
  }

  /** Keep the page's own links to other pages of the same list carrying the filters. */
  function carryQuery(selector) {
    var search = window.location.search;
    document.querySelectorAll(selector).forEach(function (a) {
      var url = new URL(a.href, window.location.href);
      url.search = search;
      a.href = url.pathname + url.search + url.hash;
    });
  }

  function startProcesses() {
    var form = document.querySelector('form[data-triage="processes"]');
    var table = document.querySelector('table[data-triage-table="processes"]');
    if (!form || !table) return;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var count = form.querySelector('[data-triage-count]');
    var empty = document.querySelector('[data-triage-empty]');
    var num = function (row, key) { return Number(row.getAttribute('data-' + key)) || 0; };
    var text = function (row, key) { return row.getAttribute('data-' + key) || ''; };
    var byName = function (a, b) { return text(a, 'name') < text(b, 'name') ? -1 : text(a, 'name') > text(b, 'name') ? 1 : num(a, 'row') - num(b, 'row'); };
    var orders = {
      name: byName,
      health: function (a, b) { return HEALTH_RANK[text(a, 'health')] - HEALTH_RANK[text(b, 'health')] || byName(a, b); },
      status: function (a, b) { return text(a, 'status') < text(b, 'status') ? -1 : text(a, 'status') > text(b, 'status') ? 1 : byName(a, b); },
      owner: function (a, b) {
        var x = text(a, 'owner').toLowerCase(), y = text(b, 'owner').toLowerCase();
        if (x !== y) return !x ? 1 : !y ? -1 : x < y ? -1 : 1;
        return byName(a, b);
      },
      days: function (a, b) { return num(a, 'days') - num(b, 'days') || byName(a, b); },
      'days-desc': function (a, b) { return num(b, 'days') - num(a, 'days') || byName(a, b); },
      'stale-desc': function (a, b) { return num(b, 'stale') - num(a, 'stale') || byName(a, b); },
      'moved-desc': function (a, b) { return num(b, 'moved') - num(a, 'moved') || byName(a, b); },
      'problems-desc': function (a, b) { return num(b, 'problems') - num(a, 'problems') || byName(a, b); },
    };
    var headerSort = { name: 'name', health: 'health', status: 'status', owner: 'owner', days: 'days-desc', stale: 'stale-desc', problems: 'problems-desc' };
    var field = function (name) { return form.elements.namedItem(name); };
    var value = function (name) { var f = field(name); return f ? f.value : ''; };

    function matches(row) {
      if (value('health') && text(row, 'health') !== value('health')) return false;
      if (value('status') && text(row, 'status') !== value('status')) return false;
      var owner = value('owner');
      if (owner && (owner === '-' ? text(row, 'owner') !== '' : text(row, 'owner') !== owner)) return false;
      var env = value('env');
      if (env && JSON.parse(text(row, 'env') || '[]').indexOf(env) < 0) return false;
      var days = value('days');
      var d = num(row, 'days');
      if (days === 'overdue' && !row.classList.contains('overdue')) return false;
      if (days === 'never' && d < 1000000) return false;
      if (/^\d+$/.test(days) && !(d > Number(days))) return false;
      var changed = value('changed');
      if (changed && num(row, changed) === 0) return false;
      return true;
    }

    function apply() {
      var sort = orders[value('sort')] ? value('sort') : 'name';
      var sorted = rows.slice().sort(orders[sort]);
      var shown = 0;
      sorted.forEach(function (row) {
        var ok = matches(row);
        row.hidden = !ok;
        if (ok) shown++;
        body.appendChild(row);
      });
      if (count) count.textContent = shown + ' of ' + rows.length + (rows.length === 1 ? ' process' : ' processes') + ' shown';
      if (empty) empty.hidden = shown > 0;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
        var key = th.getAttribute('data-sort');
        if (!key) return;
        var active = headerSort[key] === sort || (key === 'days' && sort === 'days');
        if (active) th.setAttribute('aria-sort', /-desc$/.test(sort) ? 'descending' : 'ascending');
        else th.removeAttribute('aria-sort');
      });
    }

    // Column headers sort too: a button in each sortable header (a second press on days flips the order).
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var key = th.getAttribute('data-sort');
      if (!key) return;
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort-button';
      button.textContent = th.textContent;
      th.textContent = '';
      th.appendChild(button);
      button.addEventListener('click', function () {
        var sort = headerSort[key];
        if (key === 'days' && value('sort') === 'days-desc') sort = 'days';
        field('sort').value = sort;
        apply();
        writeQuery(form, { sort: 'name' });
      });
    });

    readQuery(form);
    form.hidden = false;
    apply();
    form.addEventListener('change', function () { apply(); writeQuery(form, { sort: 'name' }); });
    form.addEventListener('reset', function () {
      window.setTimeout(function () { apply(); writeQuery(form, { sort: 'name' }); }, 0);
    });
    form.addEventListener('submit', function (event) { event.preventDefault(); });
  }

  function startProblems() {
    var form = document.querySelector('form[data-triage="problems"]');
    if (!form) return;
    var items = Array.prototype.slice.call(document.querySelectorAll('li[data-problem]'));
    var groups = Array.prototype.slice.call(document.querySelectorAll('[data-problem-group]'));
    var sections = Array.prototype.slice.call(document.querySelectorAll('[data-severity-section]'));
    var count = form.querySelector('[data-triage-count]');
    var empty = document.querySelector('[data-triage-empty]');
    var value = function (name) { var f = form.elements.namedItem(name); return f ? f.value.trim() : ''; };

    function apply() {
      var severity = value('severity');
      var rule = value('rule');
      var where = value('where').toLowerCase();
      var shown = 0;
      items.forEach(function (li) {
        var ok = (!severity || li.getAttribute('data-severity') === severity) &&
          (!rule || li.getAttribute('data-rule') === rule) &&
          (!where || (li.getAttribute('data-where') || '').indexOf(where) >= 0);
        li.hidden = !ok;
        if (ok) shown++;
      });
      groups.forEach(function (g) { g.hidden = !g.querySelector('li[data-problem]:not([hidden])'); });
      sections.forEach(function (s) { s.hidden = !s.querySelector('[data-problem-group]:not([hidden])'); });
      if (count) count.textContent = shown + ' of ' + items.length + ' problems on this page shown';
      if (empty) empty.hidden = shown > 0 || items.length === 0;
    }

    readQuery(form);
    // Arriving at a rule's anchor (`#rule-…`, where every rule link points) shows that rule's problems.
    var anchored = /^#rule-/.test(window.location.hash) ? document.getElementById(window.location.hash.slice(1)) : null;
    var ruleField = form.elements.namedItem('rule');
    if (anchored && ruleField && !params().has('rule')) ruleField.value = anchored.getAttribute('data-rule') || '';
    var where = form.elements.namedItem('where');
    if (where && params().has('where')) where.value = params().get('where');
    form.hidden = false;
    apply();
    carryQuery('a[data-page-link]');
    var update = function () { apply(); writeQuery(form, {}); carryQuery('a[data-page-link]'); };
    form.addEventListener('change', update);
    form.addEventListener('input', update);
    form.addEventListener('reset', function () { window.setTimeout(update, 0); });
    form.addEventListener('submit', function (event) { event.preventDefault(); });
  }

  startProcesses();
  startProblems();
})();
