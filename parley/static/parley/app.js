/* Parley's page behaviour: keyboard shortcuts, live updates over Server-Sent Events,
   and polite announcements. Plain JavaScript on top of htmx; every page also works
   without it. Text from the server is only ever set with textContent. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  var REFRESH_DELAY_MS = 120;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region || !text) return;
    region.textContent = "";
    // A fresh text node after a tick makes screen readers read repeated messages too.
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function isTyping(target) {
    if (!target || !target.closest) return false;
    return Boolean(target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']"));
  }

  /* ---- the inbox list: selection ---------------------------------------------------- */

  var selectedId = null;

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#inbox-results .conv"));
  }

  function selectRow(row, focus) {
    rows().forEach(function (r) { r.classList.toggle("is-selected", r === row); });
    if (!row) { selectedId = null; return; }
    selectedId = row.getAttribute("data-id");
    if (focus) {
      var link = row.querySelector(".conv-link");
      if (link) link.focus({ preventScroll: true });
      row.scrollIntoView({ block: "nearest" });
    }
  }

  function selectedRow() {
    if (selectedId === null) return null;
    return document.querySelector('#inbox-results .conv[data-id="' + CSS.escape(selectedId) + '"]');
  }

  function moveSelection(step) {
    var all = rows();
    if (!all.length) return;
    var index = all.indexOf(selectedRow());
    var next = index === -1 ? (step > 0 ? 0 : all.length - 1) : Math.min(Math.max(index + step, 0), all.length - 1);
    selectRow(all[next], true);
  }

  document.addEventListener("focusin", function (event) {
    var row = event.target.closest && event.target.closest("#inbox-results .conv");
    if (row) selectRow(row, false);
  });

  /* ---- actions from the list (a, e) --------------------------------------------------- */

  function messageFrom(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var msg = doc.querySelector(".msg");
    return msg ? msg.textContent.trim() : "";
  }

  function postAction(url, fields) {
    var body = new URLSearchParams(fields);
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true", "HX-Target": "quick-action" }
    }).then(function (response) {
      return response.text().then(function (text) {
        return { ok: response.ok, status: response.status, message: messageFrom(text) };
      });
    });
  }

  function rowAction(kind) {
    var row = selectedRow();
    if (!row) { announce("Select a conversation first: press j."); return; }
    var ref = (row.querySelector(".ref") || {}).textContent || "";
    var request = kind === "assign"
      ? postAction(row.getAttribute("data-assign-url"), { assignee: "me" })
      : postAction(row.getAttribute("data-status-url"), { status: "resolved" });
    request.then(function (result) {
      var text = result.message || (result.ok ? "Done." : "That did not work (" + result.status + ").");
      announce(ref + ": " + text);
      showFlash(text, result.ok ? "success" : "error");
      refreshList();
    }).catch(function () { showFlash("The server could not be reached.", "error"); });
  }

  function showFlash(text, level) {
    var flash = document.getElementById("flash");
    if (!flash) return;
    var p = document.createElement("p");
    p.className = "msg msg-" + level;
    p.textContent = text;
    flash.replaceChildren(p);
  }

  /* ---- live updates ------------------------------------------------------------------- */

  var refreshTimer = null;
  var refreshing = false;
  var refreshAgain = false;
  var arrivals = [];

  function refreshList() {
    var results = document.getElementById("inbox-results");
    if (!results || !window.htmx) return Promise.resolve();
    if (refreshing) { refreshAgain = true; return Promise.resolve(); }
    refreshing = true;
    var before = {};
    rows().forEach(function (r) { before[r.getAttribute("data-id")] = true; });
    var hadFocus = results.contains(document.activeElement);
    var keep = selectedId;
    return window.htmx.ajax("GET", window.location.pathname + window.location.search, {
      target: "#inbox-results", swap: "outerHTML"
    }).then(function () {
      rows().forEach(function (r) {
        if (!before[r.getAttribute("data-id")]) r.classList.add("is-new");
      });
      var row = keep === null ? null : document.querySelector('#inbox-results .conv[data-id="' + CSS.escape(keep) + '"]');
      if (row) selectRow(row, hadFocus);
      else if (hadFocus) moveSelection(1);
    }).finally(function () {
      refreshing = false;
      if (refreshAgain) { refreshAgain = false; scheduleRefresh(); }
    });
  }

  function refreshConversation(root) {
    if (!window.htmx) return Promise.resolve();
    var side = document.getElementById("side");
    // Leave the side panel alone while someone is using it.
    var withSide = !(side && side.contains(document.activeElement));
    var url = root.getAttribute("data-refresh-url") + (withSide ? "&side=1" : "");
    return window.htmx.ajax("GET", url, { target: "#thread", swap: "outerHTML" });
  }

  function scheduleRefresh() {
    window.clearTimeout(refreshTimer);
    refreshTimer = window.setTimeout(function () {
      var conversation = document.getElementById("conversation");
      var done = conversation ? refreshConversation(conversation) : refreshList();
      Promise.resolve(done).then(flushArrivals);
    }, REFRESH_DELAY_MS);
  }

  function flushArrivals() {
    if (!arrivals.length) return;
    var names = arrivals;
    arrivals = [];
    if (names.length === 1) announce("New message from " + (names[0] || "a customer") + ".");
    else announce(names.length + " new messages.");
  }

  var source = null;

  function startLive() {
    var root = document.querySelector("[data-live-url]");
    if (!root || !window.EventSource || source) return;
    source = new EventSource(root.getAttribute("data-live-url"));
    var lostConnection = false;
    function parse(event) {
      try { return JSON.parse(event.data); } catch (e) { return null; }
    }
    source.addEventListener("conversation", scheduleRefresh);
    source.addEventListener("refresh", scheduleRefresh);
    source.addEventListener("post", function (event) {
      var data = parse(event);
      if (data && data.direction === "in") arrivals.push(data.author || "");
      scheduleRefresh();
    });
    source.addEventListener("open", function () {
      document.documentElement.setAttribute("data-live", "on");
      if (lostConnection) { lostConnection = false; scheduleRefresh(); }  // catch up on what was missed
    });
    source.addEventListener("error", function () {
      lostConnection = true;
      document.documentElement.setAttribute("data-live", "reconnecting");
    });
  }

  window.addEventListener("pagehide", function () {
    if (source) { source.close(); source = null; }
  });
  window.addEventListener("pageshow", function (event) {
    // Back to a page kept in the browser's cache: listen again and catch up.
    if (event.persisted) { startLive(); scheduleRefresh(); }
  });

  /* ---- keyboard ----------------------------------------------------------------------- */

  function openHelp() {
    var dialog = document.getElementById("help");
    if (dialog && !dialog.open) dialog.showModal();
  }

  function clickShortcut(key) {
    var button = document.querySelector('[data-shortcut="' + key + '"]');
    if (button) { button.click(); return true; }
    return false;
  }

  function closeMenus(except) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (menu !== except) menu.open = false;
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var open = document.querySelector("details.menu[open]");
      if (open) { closeMenus(); open.querySelector("summary").focus(); return; }
    }
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event.target)) return;
    var dialog = document.getElementById("help");
    if (dialog && dialog.open) return;
    var inList = Boolean(document.getElementById("inbox-results"));
    var key = event.key;
    if (key === "?") { event.preventDefault(); openHelp(); return; }
    if (key === "/") {
      var search = document.getElementById("f-q");
      if (search) { event.preventDefault(); search.focus(); search.select(); }
      return;
    }
    if (inList) {
      if (key === "j" || key === "k") { event.preventDefault(); moveSelection(key === "j" ? 1 : -1); return; }
      if (key === "Enter") {
        var row = selectedRow();
        var onLink = event.target.closest && event.target.closest("a, button");
        if (row && !onLink) { event.preventDefault(); row.querySelector(".conv-link").click(); }
        return;
      }
      if (key === "a") { event.preventDefault(); rowAction("assign"); return; }
      if (key === "e") { event.preventDefault(); rowAction("resolve"); return; }
      return;
    }
    if (key === "a" || key === "e") {
      if (clickShortcut(key)) event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    if (!event.target.closest) return;
    if (event.target.closest("[data-open-help]")) openHelp();
    closeMenus(event.target.closest("details.menu"));
  });

  /* ---- after htmx swaps ---------------------------------------------------------------- */

  document.addEventListener("htmx:afterSwap", function (event) {
    // Keep the selection when the list is swapped by a filter or a page change.
    if (event.detail && event.detail.target && event.detail.target.id === "inbox-results" && selectedId !== null) {
      var row = selectedRow();
      if (row) row.classList.add("is-selected");
    }
  });

  function isDirty(root) {
    return Array.prototype.some.call(root.querySelectorAll("input, select, textarea"), function (el) {
      if (el.tagName === "SELECT") {
        return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
      }
      if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
      return el.value !== el.defaultValue;
    });
  }

  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    // A live refresh never replaces a panel someone is using or has changed but not saved.
    var target = event.detail.target;
    var fragment = event.detail.fragment;
    var live = fragment && fragment.querySelector && fragment.querySelector("[data-live-part]");
    if (live && target && (target.contains(document.activeElement) || isDirty(target))) {
      event.detail.shouldSwap = false;
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail && event.detail.xhr ? event.detail.xhr.status : 0;
    showFlash(status === 403 ? "Your role cannot do that." : "Something went wrong (" + status + "). Reload the page and try again.", "error");
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startLive);
  else startLive();
})();
