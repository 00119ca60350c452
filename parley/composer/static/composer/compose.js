// The composer on the conversation page (inbox/_reply_box.html), enhanced: guardrail checks as you type,
// "/" templates, suggestions, the acknowledge-publicly-move-to-DM action, and presence (who else is
// viewing or typing). The form itself is submitted by htmx (or plainly without JavaScript); the server
// answers with the box re-rendered, so refusals (blocks, collisions) look the same with or without this.
// Customer and draft text is only ever inserted with textContent, never as HTML.
(function () {
  "use strict";

  var TYPING_IDLE_MS = 4000;

  function csrf() {
    var input = document.querySelector("#reply-box input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function request(url, body) {
    var options = { credentials: "same-origin", headers: { "X-CSRFToken": csrf() } };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (r) {
      return r.json().then(function (data) { return { status: r.status, data: data }; });
    });
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function renderFindings(target, findings, draft) {
    target.replaceChildren();
    (findings || []).forEach(function (f) {
      var item = el("div", "composer-finding level-" + f.level);
      item.setAttribute("data-check", f.check);
      item.appendChild(el("strong", null, f.level === "block" ? "Blocked: " : f.level === "warn" ? "Warning: " : "Note: "));
      item.appendChild(document.createTextNode(f.message + " "));
      if (f.end > f.start) item.appendChild(el("span", "where", "“" + draft.slice(f.start, f.end).slice(0, 80) + "”"));
      if (f.suggestion) item.appendChild(el("span", "fix", f.suggestion));
      target.appendChild(item);
    });
  }

  function refreshThread() {
    var root = document.getElementById("conversation");
    if (!root || !window.htmx) return;
    window.htmx.ajax("GET", root.getAttribute("data-refresh-url") + "&side=1", { target: "#thread", swap: "outerHTML" });
  }

  /* ---- presence: a heartbeat while the page is open ------------------------------------ */

  var lastTyped = 0;
  var announcedTyping = false;
  var heartbeat = null;
  var lastOthers = [];

  function presenceState() {
    return Date.now() - lastTyped < TYPING_IDLE_MS ? "typing" : "viewing";
  }

  function showPresence(others) {
    lastOthers = others || [];
    var line = document.querySelector("#reply-box .presence");
    if (!line) return;
    line.replaceChildren();
    (others || []).forEach(function (o, i) {
      if (i) line.appendChild(document.createTextNode(" · "));
      var item = el("span", o.state === "typing" ? "is-typing" : "is-viewing");
      item.appendChild(el("span", "who-present", o.name));
      item.appendChild(document.createTextNode(" is " + o.state));
      line.appendChild(item);
    });
  }

  function beat() {
    var box = document.getElementById("reply-box");
    if (!box) return;
    var state = presenceState();
    announcedTyping = state === "typing";
    request(box.dataset.presenceUrl, { state: state }).then(function (r) {
      if (r.status !== 200) return;
      showPresence(r.data.others);
      var seen = box.querySelector("input[name=seen_post_id]");
      var line = box.querySelector(".presence");
      if (seen && line && r.data.newest_post_id > parseInt(seen.value || "0", 10)) {
        // Said before the agent sends: the send itself would be refused as a collision.
        line.appendChild(el("span", "is-news", (line.children.length ? " · " : "") + "New in this conversation since you opened it"));
      }
    }).catch(function () { /* offline: the next beat tries again */ });
  }

  function startPresence(box) {
    if (heartbeat) return;
    var every = parseInt(box.dataset.heartbeatMs, 10) || 10000;
    beat();
    heartbeat = window.setInterval(function () {
      if (lastTyped && announcedTyping && presenceState() === "viewing") announcedTyping = false;
      beat();
    }, every);
    window.addEventListener("pagehide", function () {
      var current = document.getElementById("reply-box");
      if (!current || !navigator.sendBeacon) return;
      var form = new FormData();
      form.append("csrfmiddlewaretoken", csrf());
      form.append("state", "left");
      navigator.sendBeacon(current.dataset.presenceUrl, form);
    });
  }

  function typed() {
    lastTyped = Date.now();
    if (!announcedTyping) beat();  // say "typing" at once; the heartbeat keeps it fresh
  }

  /* ---- the composer box (set up again whenever the server re-renders it) ---------------- */

  function setup(box) {
    if (box.dataset.ready) return;
    box.dataset.ready = "1";
    var form = box.querySelector("form");
    var text = form.querySelector("textarea[name=text]");
    var findingsBox = box.querySelector(".composer-findings");
    var overrideBox = box.querySelector(".composer-override");
    var status = box.querySelector(".composer-status");
    var suggestionsList = box.querySelector(".composer-suggestions");
    var templatesList = box.querySelector(".composer-templates");
    var timer = null;
    var seq = 0;

    function visibility() {
      var checked = form.querySelector("input[name=visibility]:checked");
      return checked ? checked.value : "";
    }

    function runCheck() {
      var mine = ++seq;
      if (!text.value.trim()) { findingsBox.replaceChildren(); if (overrideBox) overrideBox.hidden = true; return; }
      request(box.dataset.checkUrl, { text: text.value, visibility: visibility() }).then(function (r) {
        if (mine !== seq || r.status !== 200) return;
        renderFindings(findingsBox, r.data.findings, text.value);
        if (overrideBox) overrideBox.hidden = !(r.data.blocked && r.data.can_override);
      });
    }

    function schedule() {
      typed();
      clearTimeout(timer);
      timer = setTimeout(runCheck, 250);
      var slash = /(^|\n)\/(\S*)$/.exec(text.value);
      if (slash) showTemplates(slash[2]); else templatesList.hidden = true;
    }

    function showTemplates(query) {
      var url = box.dataset.templatesUrl + "?visibility=" + encodeURIComponent(visibility()) + "&q=" + encodeURIComponent(query);
      request(url).then(function (r) {
        templatesList.replaceChildren();
        (r.data.templates || []).slice(0, 8).forEach(function (t) {
          var li = el("li");
          var button = el("button", "btn-quiet", "/" + t.shortcut + " — " + t.name);
          button.type = "button";
          button.addEventListener("click", function () { useTemplate(t.id, t.body); });
          li.appendChild(button);
          templatesList.appendChild(li);
        });
        templatesList.hidden = !templatesList.children.length;
      });
    }

    function useTemplate(id, body) {
      var url = box.dataset.templatesUrl + "/" + id + "/use";
      var eta = /\{eta\}/.test(body || "") ? (window.prompt("When will the customer hear back? (e.g. by 5 pm today)") || "") : "";
      request(url, { eta: eta }).then(function (r) {
        if (r.status === 200) {
          text.value = text.value.replace(/(^|\n)\/\S*$/, "$1") + r.data.text;
          templatesList.hidden = true;
          text.focus();
          runCheck();
        } else {
          status.textContent = r.data.error || "That template cannot be used here.";
        }
      });
    }

    box.querySelector(".composer-suggest").addEventListener("click", function () {
      status.textContent = "Finding suggestions…";
      request(box.dataset.suggestUrl + "?visibility=" + encodeURIComponent(visibility())).then(function (r) {
        suggestionsList.replaceChildren();
        (r.data.suggestions || []).forEach(function (s) {
          var li = el("li");
          var button = el("button", "btn-quiet", s.text);
          button.type = "button";
          button.title = s.reason;
          button.addEventListener("click", function () { text.value = s.text; runCheck(); });
          li.appendChild(button);
          suggestionsList.appendChild(li);
        });
        status.textContent = r.data.suggestions && r.data.suggestions.length ? "" : "No suggestions yet.";
      });
    });

    var handoff = box.querySelector(".composer-handoff");
    if (handoff) setupHandoff(box, form, handoff);

    text.addEventListener("input", schedule);
    form.querySelectorAll("input[name=visibility]").forEach(function (radio) { radio.addEventListener("change", runCheck); });
    if (text.value.trim() && !findingsBox.children.length) runCheck();
    showPresence(lastOthers);  // a re-rendered box keeps saying who else is here
    startPresence(box);
  }

  function setupHandoff(box, form, handoff) {
    var pub = handoff.querySelector("#handoff-public");
    var priv = handoff.querySelector("#handoff-private");
    var handoffStatus = handoff.querySelector(".handoff-status");
    var sendButton = handoff.querySelector(".handoff-send");
    var handoffForm = handoff.querySelector(".handoff-form");
    var seen = handoffForm.querySelector("input[name=seen_post_id]");
    var override = handoffForm.querySelector("input[name=override_reason]");
    var overrideBox = handoff.querySelector(".handoff-override");
    var reviewed = null;
    handoff.addEventListener("toggle", function () {
      if (!handoff.open || pub.value || priv.value) return;
      request(box.dataset.handoffUrl).then(function (r) {
        if (r.status === 200) { pub.value = r.data.public; priv.value = r.data.private; }
      });
    });
    [pub, priv].forEach(function (area) { area.addEventListener("input", typed); });
    // Without JavaScript the form posts to composer:handoff_form; here it is sent as JSON and answered in place.
    handoffForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var checked = handoffForm.querySelector("input[name=reviewed_through]:checked");
      request(box.dataset.handoffUrl, {
        public_text: pub.value, private_text: priv.value, seen_post_id: seen ? seen.value : "",
        reviewed_through: reviewed || (checked ? checked.value : ""), override_reason: override ? override.value : ""
      }).then(function (r) {
        var found = r.data.findings || {};
        renderFindings(handoff.querySelector(".handoff-public-findings"), found.public, pub.value);
        renderFindings(handoff.querySelector(".handoff-private-findings"), found.private, priv.value);
        if (r.status === 201) {
          handoffStatus.textContent = "Both messages saved; they are sent when the channel's connector runs.";
          pub.value = ""; priv.value = "";
          reviewed = null;
          sendButton.textContent = "Send both";
          // Our own messages are not news to us.
          box.querySelectorAll("input[name=seen_post_id]").forEach(function (input) { input.value = r.data.private_post_id; });
          if (overrideBox) { overrideBox.hidden = true; override.value = ""; }
          refreshThread();
        } else if (r.data.collision) {
          reviewed = r.data.newest_post_id;
          var arrived = (r.data.arrived || []).map(function (a) { return (a.who || "Someone") + ": “" + a.text.slice(0, 140) + "”"; });
          handoffStatus.textContent = r.data.error + " " + arrived.join(" ");
          sendButton.textContent = "Send both anyway";
          refreshThread();
        } else {
          if (overrideBox) overrideBox.hidden = !(r.data.blocked && r.data.can_override);
          handoffStatus.textContent = r.data.error || "The messages could not be saved.";
        }
      });
    });
  }

  function setupAll() {
    document.querySelectorAll("#reply-box.composer-checked").forEach(setup);
    advanceSeen();
  }

  /* ---- collision detection: what the agent has been shown ------------------------------ */

  // The thread carries the id of the newest post it shows (data-newest-post). Once a (live) refresh
  // has put a post on the agent's screen, a reply sent afterwards has seen it: the forms' seen_post_id
  // moves up to it. A post that arrived but is not rendered yet keeps the old value, so sending still
  // gets the collision warning. While the box shows a collision warning, the agent's explicit
  // "I have read it" (reviewed_through) decides instead, so the override stays audited.
  function advanceSeen() {
    var thread = document.getElementById("thread");
    var box = document.getElementById("reply-box");
    if (!thread || !box || box.querySelector("[data-testid=collision]")) return;
    var newest = parseInt(thread.getAttribute("data-newest-post") || "0", 10);
    if (!newest) return;
    box.querySelectorAll("input[name=seen_post_id]").forEach(function (seen) {
      if (newest > parseInt(seen.value || "0", 10)) seen.value = String(newest);
    });
  }

  document.addEventListener("DOMContentLoaded", setupAll);
  // htmx swaps a fresh box in after each reply (out of band): set that one up too.
  document.addEventListener("htmx:load", setupAll);
})();
