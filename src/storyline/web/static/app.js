// storyline: small progressive enhancements. Loaded as a file (the CSP forbids inline script);
// pages work without it.
"use strict";
(function () {
  // Page data is embedded as JSON (escaped by the server) and read with JSON.parse, never eval.
  var dataNode = document.getElementById("page-data");
  var page = {};
  if (dataNode) {
    try { page = JSON.parse(dataNode.textContent || "{}"); } catch (e) { page = {}; }
  }
  document.documentElement.dataset.storyline = page.storyline_id ? "storyline" : "page";

  // Hovering a citation highlights its entry in the source list.
  function sourceFor(link) {
    var n = (link.textContent || "").replace(/[^0-9]/g, "");
    return n ? document.getElementById("src-" + n) : null;
  }
  document.addEventListener("mouseover", function (ev) {
    var link = ev.target.closest ? ev.target.closest("a.cite") : null;
    var item = link && sourceFor(link);
    if (item) { item.classList.add("highlight"); }
  });
  document.addEventListener("mouseout", function (ev) {
    var link = ev.target.closest ? ev.target.closest("a.cite") : null;
    var item = link && sourceFor(link);
    if (item) { item.classList.remove("highlight"); }
  });

  // "/" focuses the search box.
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "/" || /input|textarea|select/i.test(ev.target.tagName)) { return; }
    var box = document.querySelector(".quick-search input");
    if (box) { ev.preventDefault(); box.focus(); }
  });
})();
