// Runs in <head> before the page paints: apply the remembered theme (or the system's), then
// wire the toggle once the page is there. Without JavaScript the system setting still applies.
(function () {
  var KEY = 'mxspec-theme';
  var root = document.documentElement;
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
    function label() {
      var dark = current() === 'dark';
      button.setAttribute('aria-pressed', dark ? 'true' : 'false');
      button.textContent = dark ? 'Light mode' : 'Dark mode';
    }
    button.hidden = false;
    label();
    button.addEventListener('click', function () {
      var next = current() === 'dark' ? 'light' : 'dark';
      root.setAttribute('data-theme', next);
      try { localStorage.setItem(KEY, next); } catch (e) { /* not remembered, still applied */ }
      label();
    });
  });
})();
