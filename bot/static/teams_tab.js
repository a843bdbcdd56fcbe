// The Teams tab (bot/teams_tab.py): sign in with Teams SSO, then show the dashboard.
// Every page is fetched with a fresh token from Teams (its client caches them) in the
// Authorization header; nothing is stored here or in a cookie. Links, the filter form and
// the back button stay on the tab: /teams/tab/<rest> shows /teams/tab/page/<rest>.
(function () {
  "use strict";
  var BASE = "/teams/tab/";
  var main = document.getElementById("main");
  var asOf = document.getElementById("as-of");

  function fallback() {
    var template = document.getElementById("fallback");
    main.replaceChildren(template.content.cloneNode(true));
    asOf.textContent = main.dataset.notSignedIn;  // the shell's words, in the language Teams gave it
  }

  function token() {
    return microsoftTeams.authentication.getAuthToken();
  }

  function inTab(url) {
    return url.origin === location.origin && url.pathname.indexOf(BASE) === 0 && url.pathname.indexOf(BASE + "page/") !== 0
      && url.pathname.indexOf(BASE + "js/") !== 0;
  }

  function source(url) {
    return BASE + "page/" + url.pathname.slice(BASE.length) + url.search;
  }

  function get(url, bearer) {
    return fetch(source(url), { headers: { Authorization: "Bearer " + bearer }, credentials: "omit", cache: "no-store" });
  }

  async function show(url, push) {
    var response = await get(url, await token());
    if (response.status === 401) {
      throw new Error("not signed in");
    }
    var doc = new DOMParser().parseFromString(await response.text(), "text/html");
    var found = doc.getElementById("main");
    if (!response.ok || !found) {
      main.replaceChildren();
      var h1 = document.createElement("h1");
      h1.textContent = response.status === 404 ? main.dataset.notFound : main.dataset.failed;
      var back = document.createElement("p");
      var link = document.createElement("a");
      link.href = BASE;
      link.textContent = "← " + main.dataset.back;
      back.append(link);
      main.append(h1, back);
    } else {
      main.replaceChildren.apply(main, Array.from(found.childNodes).map(function (n) { return document.adoptNode(n); }));
      var stamp = doc.querySelector("header .as-of");
      if (stamp) { asOf.replaceChildren.apply(asOf, Array.from(stamp.childNodes).map(function (n) { return document.adoptNode(n); })); }
      document.title = doc.title;
    }
    if (push) { history.pushState(null, "", url.pathname + url.search); }
    if (push) { main.focus(); }
  }

  async function download(url) {
    var response = await get(url, await token());
    if (!response.ok) { throw new Error("download refused"); }
    var link = document.createElement("a");
    link.href = URL.createObjectURL(await response.blob());
    link.download = url.pathname.slice(url.pathname.lastIndexOf("/") + 1);
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
  }

  function go(url) {
    var step = /\/export\.(csv|json)$/.test(url.pathname) ? download(url) : show(url, true);
    step.catch(fallback);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) { return; }
    var url = new URL(link.href, location.href);
    if (url.hash && url.pathname === location.pathname && url.search === location.search) { return; }  // the skip link
    if (!inTab(url)) { return; }
    event.preventDefault();
    go(url);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if ((form.method || "get").toLowerCase() !== "get") { return; }
    var url = new URL(form.getAttribute("action") || "", location.href);
    if (!inTab(url)) { return; }
    event.preventDefault();
    url.search = new URLSearchParams(new FormData(form)).toString();
    go(url);
  });

  window.addEventListener("popstate", function () {
    show(new URL(location.href), false).catch(fallback);
  });

  if (!window.microsoftTeams) {
    fallback();
    return;
  }
  // Outside Teams, initialize() never hears from a host: say so after a while. If the token
  // comes later after all (Teams was asking the person's consent), the page replaces this.
  var shown = false;
  setTimeout(function () { if (!shown) { fallback(); } }, 15000);
  microsoftTeams.app.initialize()
    .then(function () { return show(new URL(location.href), false); })
    .then(function () { shown = true; })
    .catch(fallback);
})();
