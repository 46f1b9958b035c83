// Waymark's only client script: the Pagefind search box and the
// change-history filter. Everything else on the site is static HTML.
(function () {
  'use strict';

  function startSearch() {
    var box = document.getElementById('search');
    if (!box || typeof window.PagefindUI !== 'function') return;
    new window.PagefindUI({
      element: '#search',
      baseUrl: box.getAttribute('data-base') || '/',
      bundlePath: box.getAttribute('data-bundle') || undefined,
      showSubResults: true,
      showImages: false,
      resetStyles: false,
      pageSize: 8,
      openFilters: ['kind'],
    });
    // Escape closes the results; focus stays in the box.
    box.addEventListener('keydown', function (event) {
      if (event.key !== 'Escape') return;
      var clear = box.querySelector('.pagefind-ui__search-clear');
      if (clear) clear.click();
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
