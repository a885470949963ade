/* briefer template briefing.js, version 1: the source filter, inlined into briefing.html and
   allowed by the page's Content-Security-Policy through its SHA-256 hash (computed when the
   page is rendered), so it is the only script that can run. Without it the page reads the same:
   the buttons below are added here, never written into the page. It reads only data-source
   attributes and element text; article text is never parsed as markup. */
(function () {
  "use strict";
  var picked = "";
  var status = document.getElementById("filter-status");
  var statusText = document.getElementById("filter-text");
  var clearButton = document.getElementById("filter-clear");
  if (!status || !statusText || !clearButton) {
    return;
  }

  function all(selector) {
    return Array.prototype.slice.call(document.querySelectorAll(selector));
  }

  function names(element) {
    return (element.getAttribute("data-source") || "").split(" ");
  }

  function nameOf(id) {
    var cell = document.querySelector(
      '#sec-sources [data-source="' + CSS.escape(id) + '"] .src-name'
    );
    return cell ? cell.textContent : id;
  }

  function show(id) {
    picked = id;
    var shown = 0;
    all("#sec-claims li.claim").forEach(function (item) {
      var keep = !id || item.getAttribute("data-source") === id;
      item.hidden = !keep;
      shown += keep ? 1 : 0;
    });
    all("#sec-claims section.source-group").forEach(function (group) {
      group.hidden = !!id && !group.querySelector("li.claim:not([hidden])");
    });
    all("#sec-framing li.item").forEach(function (item) {
      item.hidden = !!id;
    });
    var framingNote = document.getElementById("framing-hidden");
    if (framingNote) {
      framingNote.hidden = !id;
    }
    all("#article-text .hl[data-source]").forEach(function (mark) {
      mark.classList.toggle("picked", !!id && names(mark).indexOf(id) >= 0);
    });
    all("button.src-filter").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-source") === id));
    });
    document.body.classList.toggle("filtering", !!id);
    status.hidden = !id;
    statusText.textContent = id
      ? "Showing only the " + shown + " claim" + (shown === 1 ? "" : "s") + " of " + nameOf(id) +
        "; its mentions are outlined in the article text."
      : "";
  }

  function toggle(id) {
    show(picked === id ? "" : id);
  }

  // Each source name becomes a toggle button (Enter and Space press it).
  all("[data-source] > .src-name").forEach(function (name) {
    var id = name.parentNode.getAttribute("data-source");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "src-filter";
    button.setAttribute("data-source", id);
    button.setAttribute("aria-pressed", "false");
    button.title = "Show only this source's claims";
    name.parentNode.insertBefore(button, name);
    button.appendChild(name);
    button.addEventListener("click", function () {
      toggle(id);
    });
  });

  // A source phrase in the article picks its source too, and still follows its link.
  all("#article-text .hl[data-source]").forEach(function (mark) {
    mark.addEventListener("click", function () {
      toggle(names(mark)[0]);
    });
  });

  clearButton.addEventListener("click", function () {
    show("");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && picked) {
      show("");
    }
  });
})();
