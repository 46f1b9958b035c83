// Waymark's only client script: the Pagefind search box (with its keyboard
// shortcuts and the query in the URL) and the change-history filter. Everything else on the site is static HTML.
(function () {
  'use strict';

  function startSearch() {
    var box = document.getElementById('search');
    if (!box || typeof window.PagefindUI !== 'function') return;
    var ui = new window.PagefindUI({
      element: '#search',
      baseUrl: box.getAttribute('data-base') || '/',
      bundlePath: box.getAttribute('data-bundle') || undefined,
      showSubResults: true,
      showImages: false,
      resetStyles: false,
      pageSize: 8,
      openFilters: ['kind'],
      // The query in the address, so a search can be shared and Back restores it.
      processTerm: function (term) {
        var url = new URL(window.location.href);
        if (term) url.searchParams.set('q', term);
        else url.searchParams.delete('q');
        window.history.replaceState(window.history.state, '', url);
        return term;
      },
    });
    var input = function () { return box.querySelector('.pagefind-ui__search-input'); };
    // The visible label points at Pagefind's input once it exists.
    var named = function () {
      var field = input();
      if (field && !field.id) field.id = 'wm-search-input';
      return field;
    };
    named();
    var initial = new URLSearchParams(window.location.search).get('q');
    if (initial) ui.triggerSearch(initial);

    var links = function () { return Array.prototype.slice.call(box.querySelectorAll('.pagefind-ui__result-link')); };
    box.addEventListener('keydown', function (event) {
      var field = named();
      if (event.key === 'Escape') {
        // Escape closes the results; focus goes back to (or stays in) the box.
        var clear = box.querySelector('.pagefind-ui__search-clear');
        if (clear) clear.click();
        if (field) field.focus();
        return;
      }
      if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
      var list = links();
      if (!list.length) return;
      var at = list.indexOf(document.activeElement);
      var next = event.key === 'ArrowDown' ? at + 1 : at - 1;
      event.preventDefault();
      if (next < 0) { if (field) field.focus(); return; }
      list[Math.min(next, list.length - 1)].focus();
    });
    // `/` or Ctrl/Cmd+K from anywhere on the page (not while typing elsewhere) jumps to the search box.
    document.addEventListener('keydown', function (event) {
      var target = event.target;
      var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      var slash = event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey;
      var commandK = (event.key === 'k' || event.key === 'K') && (event.ctrlKey || event.metaKey) && !event.altKey;
      if (!slash && !commandK) return;
      var field = named();
      if (!field) return;
      event.preventDefault();
      field.focus();
      field.select();
    });
  }

  function startChangeFilter() {
    var form = document.querySelector('[data-change-filter]');
    if (!form) return;
    var select = form.querySelector('select');
    var output = form.querySelector('[data-change-count]');
    var rows = Array.prototype.slice.call(document.querySelectorAll('tr[data-process]'));
    function apply(value) {
      var shown = 0;
      rows.forEach(function (row) {
        var owner = row.getAttribute('data-process');
        var match = value === '' || (value === '-' ? owner === '' : owner === value);
        row.hidden = !match;
        if (match) shown++;
      });
      if (output) output.textContent = shown + (shown === 1 ? ' row' : ' rows');
    }
    var initial = new URLSearchParams(window.location.search).get('process') || '';
    if (Array.prototype.some.call(select.options, function (o) { return o.value === initial; })) select.value = initial;
    apply(select.value);
    select.addEventListener('change', function () {
      apply(select.value);
      var url = new URL(window.location.href);
      if (select.value) url.searchParams.set('process', select.value);
      else url.searchParams.delete('process');
      window.history.replaceState(null, '', url);
    });
    form.addEventListener('submit', function (event) { event.preventDefault(); });
  }

  startSearch();
  startChangeFilter();
})();
