// Full-text search over the index built with the site. Loaded only when the reader starts
// typing; changelog pages rank last so the spec itself answers first.
(function () {
  document.addEventListener('DOMContentLoaded', function () {
    var form = document.querySelector('form.search');
    var input = document.getElementById('search-input');
    var list = document.getElementById('search-results');
    if (!form || !input || !list || typeof MiniSearch === 'undefined') return;
    var index = null;
    var loading = null;
    function load() {
      if (!loading) {
        loading = fetch('/search-index.json').then(function (r) { return r.text(); }).then(function (json) {
          index = MiniSearch.loadJSON(json, { fields: ['title', 'text'], storeFields: ['url', 'title', 'kind'] });
        });
      }
      return loading;
    }
    function show(query) {
      list.textContent = '';
      if (!index || query.trim().length < 2) return;
      var results = index.search(query, {
        prefix: true, fuzzy: 0.15, boost: { title: 3 },
        boostDocument: function (id, term, stored) { return stored && stored.kind === 'changelog' ? 0.05 : 1; },
      }).slice(0, 12);
      results.forEach(function (r) {
        // Only the site's own paths: the index is data, and a link is the one way it could run code.
        if (typeof r.url !== 'string' || r.url.charAt(0) !== '/' || r.url.charAt(1) === '/') return;
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = r.url;
        a.textContent = r.title;
        li.appendChild(a);
        list.appendChild(li);
      });
    }
    input.addEventListener('focus', load);
    input.addEventListener('input', function () { load().then(function () { show(input.value); }); });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var first = list.querySelector('a');
      if (first) window.location.href = first.getAttribute('href');
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') { input.value = ''; list.textContent = ''; }
      if (e.key === 'ArrowDown') { var a = list.querySelector('a'); if (a) { e.preventDefault(); a.focus(); } }
    });
  });
})();
