// Runs in <head> before the page paints: apply the remembered theme (or the system's), then
// wire the toggle once the page is there. Without JavaScript the system setting still applies.
(function () {
  var KEY = 'mxspec-theme';
  var root = document.documentElement;
  // Marks a page whose scripts run, before it paints: the search box and the toggle take their
  // place in the header from the first frame, so the header's height never changes afterwards.
  root.classList.add('js');
  var stored = null;
  try { stored = localStorage.getItem(KEY); } catch (e) { /* storage may be disabled */ }
  if (stored === 'dark' || stored === 'light') root.setAttribute('data-theme', stored);
  function current() {
    var set = root.getAttribute('data-theme');
    if (set) return set;
    return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  document.addEventListener('DOMContentLoaded', function () {
    var button = document.querySelector('.theme-toggle');
    if (!button) return;
    // A toggle button keeps one label; its pressed state says whether dark mode is on.
    function label() {
      button.setAttribute('aria-pressed', current() === 'dark' ? 'true' : 'false');
    }
    label();
    button.addEventListener('click', function () {
      var next = current() === 'dark' ? 'light' : 'dark';
      root.setAttribute('data-theme', next);
      try { localStorage.setItem(KEY, next); } catch (e) { /* not remembered, still applied */ }
      label();
    });
  });
})();
