/* stratdocs preview: reload the page after each rebuild, and show content errors as an overlay.
   Included only by `stratdocs serve`. */
(function () {
  "use strict";
  if (!window.EventSource) { return; }
  var overlay = null;
  // The overlay's words in the plan's language, given by the page as data-msg-* attributes on this
  // script's tag (plain text); English when absent (the error page shown before a first build).
  var script = document.currentScript;
  function message(key, fallback) {
    var text = script && script.getAttribute("data-msg-" + key);
    return text ? text : fallback;
  }
  function titleText(n) {
    var key = n === 0 ? "title-zero" : n === 1 ? "title-one" : "title-many";
    return message(key, "The plan has {count} error" + (n === 1 ? "" : "s")).split("{count}").join(String(n));
  }

  function hide() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  function show(errors) {
    hide();
    overlay = document.createElement("div");
    overlay.className = "sd-overlay";
    overlay.setAttribute("role", "alert");
    var box = document.createElement("div");
    box.className = "sd-overlay-box";
    var title = document.createElement("h2");
    title.textContent = titleText(errors.length);
    var hint = document.createElement("p");
    hint.textContent = message("hint", "The last good version stays on screen. Fix the file and save: the page reloads by itself.");
    var list = document.createElement("pre");
    list.textContent = errors.join("\n");
    box.appendChild(title);
    box.appendChild(hint);
    box.appendChild(list);
    overlay.appendChild(box);
    document.body.appendChild(overlay);
  }

  function data(event) {
    try { return JSON.parse(event.data); } catch (e) { return { errors: [] }; }
  }

  var source = new EventSource("/__stratdocs__/events");
  source.addEventListener("hello", function (event) {
    var d = data(event);
    if (d.errors && d.errors.length) { show(d.errors); } else { hide(); }
  });
  source.addEventListener("reload", function () { window.location.reload(); });
  source.addEventListener("problems", function (event) { show(data(event).errors || []); });
})();
