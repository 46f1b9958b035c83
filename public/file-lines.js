// File pages only: `#L31-L40` (GitHub's form) selects lines 31 to 40 and
// scrolls to them; shift-click on a line number extends the selection from
// the last line chosen, and the address follows, as on GitHub. Without this
// script a line link still lands on its line (each line has an `L<n>` id).
(function () {
  'use strict';

  var listing = document.querySelector('pre.source');
  if (!listing) return;
  var count = listing.querySelectorAll('.line').length;
  var status = document.querySelector('.range-status');
  var head = document.getElementById('wm-file-head');
  var anchor = 0;

  /** `#L12` or `#L12-L20` (either order, `L` optional on the end) as [start, end] within the file, or null. */
  function parse(hash) {
    var m = /^#L(\d+)(?:-L?(\d+))?$/.exec(hash);
    if (!m) return null;
    var a = Number(m[1]);
    var b = m[2] ? Number(m[2]) : a;
    var start = Math.min(a, b);
    var end = Math.min(Math.max(a, b), count);
    return start >= 1 && start <= count ? [start, end] : null;
  }

  function line(n) {
    return document.getElementById('L' + n);
  }

  function select(range) {
    var old = listing.querySelectorAll('.line.selected');
    for (var i = 0; i < old.length; i++) old[i].classList.remove('selected', 'selected-first', 'selected-last');
    if (!range) {
      if (status) status.textContent = '';
      return;
    }
    for (var n = range[0]; n <= range[1]; n++) line(n).classList.add('selected');
    line(range[0]).classList.add('selected-first');
    line(range[1]).classList.add('selected-last');
    if (status) status.textContent = range[0] === range[1] ? 'Line ' + range[0] + ' selected' : 'Lines ' + range[0] + '–' + range[1] + ' selected';
  }

  /** Room for the sticky file header above a line scrolled to. */
  function fitHeader() {
    if (head) document.documentElement.style.setProperty('--file-head', head.getBoundingClientRect().height + 'px');
  }

  function follow(scroll) {
    var range = parse(window.location.hash);
    select(range);
    if (range) {
      anchor = range[0];
      if (scroll) {
        fitHeader();
        // Who cites the range stands right above it: bring that into view too.
        var first = line(range[0]);
        var note = first.previousElementSibling;
        (note && note.classList.contains('cite-note') ? note : first).scrollIntoView({ block: 'start' });
      }
    }
  }

  listing.addEventListener('click', function (event) {
    var number = event.target.closest && event.target.closest('a.ln');
    if (!number) return;
    var n = Number(number.textContent);
    event.preventDefault();
    if (event.shiftKey && window.getSelection) window.getSelection().removeAllRanges();
    var hash = event.shiftKey && anchor ? '#L' + Math.min(anchor, n) + (anchor === n ? '' : '-L' + Math.max(anchor, n)) : '#L' + n;
    if (!event.shiftKey || !anchor) anchor = n;
    // Like GitHub: the address changes, the page does not jump.
    window.history.replaceState(window.history.state, '', hash);
    select(parse(hash));
  });

  window.addEventListener('hashchange', function () {
    follow(true);
  });
  window.addEventListener('resize', fitHeader);
  fitHeader();
  follow(true);
})();
