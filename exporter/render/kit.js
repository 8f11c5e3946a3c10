"use strict";
// The interview kit's live time budget and marking. Every control named with a scorecard cell carries
// data-cell; this script knows no naming scheme: it keeps each such control's value under its name, in the
// browser's storage (so a reload loses nothing) and in the marks file "Save marks" downloads.
(function () {
  var data = JSON.parse(document.getElementById("kit-data").textContent);
  var sections = data.sections;
  var total = data.minutes * 60;
  var state = { cells: {}, clock: { started: null, paused: null, pausedFor: 0 }, current: 0 };

  function load() {
    try {
      var kept = JSON.parse(window.localStorage.getItem(data.storage) || "null");
      if (kept && typeof kept === "object") {
        state.cells = kept.cells || {};
        state.clock = kept.clock || state.clock;
        state.current = Math.min(Math.max(kept.current | 0, 0), sections.length - 1);
      }
    } catch (e) {
      // storage blocked or damaged: the kit still works, it only forgets on reload
    }
  }

  function store() {
    try {
      window.localStorage.setItem(data.storage, JSON.stringify(state));
    } catch (e) {
      // as above
    }
  }

  function controls() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-cell]"));
  }

  function mirror(name, value) {
    var printed = document.querySelector('[data-mirror="' + name + '"]');
    if (printed) printed.textContent = value;
  }

  function read(control) {
    if (control.type === "checkbox") return control.checked ? control.value : null;
    if (control.type === "radio") {
      if (!control.checked || control.value === "") return null;
      return /^\d+$/.test(control.value) ? parseInt(control.value, 10) : control.value;
    }
    return control.value.trim() === "" ? null : control.value;
  }

  function remember(control) {
    if (control.type === "radio" && !control.checked) return;
    var value = read(control);
    if (value === null) delete state.cells[control.name];
    else state.cells[control.name] = value;
    if (control.tagName === "TEXTAREA") mirror(control.name, control.value);
    store();
  }

  function restore() {
    controls().forEach(function (control) {
      var has = Object.prototype.hasOwnProperty.call(state.cells, control.name);
      var value = has ? state.cells[control.name] : null;
      if (control.type === "checkbox") control.checked = value === control.value;
      else if (control.type === "radio") control.checked = String(value === null ? "" : value) === control.value;
      else if (has) control.value = value;
      else if (control.type !== "hidden") state.cells[control.name] = read(control) || undefined;
      if (control.tagName === "TEXTAREA") mirror(control.name, control.value);
    });
    Object.keys(state.cells).forEach(function (name) {
      if (state.cells[name] === undefined) delete state.cells[name];
    });
    var date = document.querySelector('input[type="hidden"][data-cell]');
    if (date && date.value) state.cells[date.name] = date.value;
  }

  // -- the clock ------------------------------------------------------------------------------------------

  function elapsed() {
    var c = state.clock;
    if (c.started === null) return 0;
    var until = c.paused === null ? Date.now() : c.paused;
    return Math.max(0, (until - c.started - c.pausedFor) / 1000);
  }

  function clockText(seconds) {
    var s = Math.floor(Math.abs(seconds));
    var text = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    return seconds < 0 ? "\u2212" + text : text;
  }

  function sectionName(section) {
    return section.label ? "question " + section.label : section.title;
  }

  function status(e) {
    var c = state.clock;
    if (c.started === null) return ["Not started: press Start when the interview begins", ""];
    var section = sections[state.current];
    var next = sections[state.current + 1];
    var paused = c.paused !== null ? "Paused. " : "";
    if (e >= total) return [paused + "Over time by " + Math.ceil((e - total) / 60) + " min: wrap up", "over"];
    if (e > section.end * 60 && next) {
      var behind = Math.ceil((e - section.end * 60) / 60) + " min behind: ";
      var move = "move to " + sectionName(next);
      return [paused + behind + (section.backup ? "consider the backup, or " + move : move), "behind"];
    }
    if (e < section.start * 60 - 60) {
      return [paused + Math.floor((section.start * 60 - e) / 60) + " min ahead", "ok"];
    }
    var left = Math.max(0, section.end * 60 - e);
    return [paused + "On time: " + clockText(left) + " left for " + sectionName(section), "ok"];
  }

  function due(e) {
    for (var i = 0; i < sections.length; i++) if (e < sections[i].end * 60) return i;
    return sections.length - 1;
  }

  function tick() {
    var e = elapsed();
    document.getElementById("elapsed").textContent = clockText(e);
    document.getElementById("remaining").textContent = clockText(total - e);
    var said = status(e);
    var line = document.getElementById("status");
    if (line.textContent !== said[0]) line.textContent = said[0];
    line.className = "status " + said[1];
    var expected = due(e);
    document.querySelectorAll("#bar li").forEach(function (item, i) {
      item.classList.toggle("due", state.clock.started !== null && i === expected);
    });
    document.getElementById("now").style.left = Math.min(100, (100 * e) / total) + "%";
    var button = document.getElementById("start");
    var label = state.clock.started === null ? "Start" : state.clock.paused === null ? "Pause" : "Resume";
    if (button.textContent !== label) button.textContent = label;
  }

  function startOrPause() {
    var c = state.clock;
    var now = Date.now();
    if (c.started === null) c.started = now;
    else if (c.paused === null) c.paused = now;
    else {
      c.pausedFor += now - c.paused;
      c.paused = null;
    }
    store();
    tick();
  }

  // -- moving between sections ----------------------------------------------------------------------------

  function show(index, focus) {
    state.current = Math.min(Math.max(index, 0), sections.length - 1);
    document.querySelectorAll("#bar a").forEach(function (link, i) {
      if (i === state.current) link.setAttribute("aria-current", "step");
      else link.removeAttribute("aria-current");
      link.parentNode.classList.toggle("current", i === state.current);
    });
    document.querySelectorAll("main > .section").forEach(function (part, i) {
      part.classList.toggle("current", i === state.current);
    });
    store();
    tick();
    if (focus) {
      var heading = document.querySelector("#section-" + (state.current + 1) + " > h2");
      heading.scrollIntoView({ block: "start" });
      heading.focus({ preventScroll: true });
    }
  }

  function notesOfCurrent() {
    var part = document.getElementById("section-" + (state.current + 1));
    return part.querySelector("textarea") || document.getElementById("takeaways");
  }

  function saveMarks() {
    var document_ = { format: data.format, identity: data.identity, signals: data.signals, cells: state.cells };
    var text = JSON.stringify(document_, null, 2) + "\n";
    var page = decodeURIComponent(window.location.pathname.split("/").pop() || "");
    var name = /-kit\.html$/.test(page) ? page.replace(/-kit\.html$/, "-marks.json") : data.marksFile;
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    document.getElementById("saved").textContent = "Saved " + name;
  }

  function typing(target) {
    return target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && target.type === "text");
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (typing(target)) {
      if (event.key === "Escape") {
        target.blur();
        show(state.current, true);
      }
      return;
    }
    var radio = target.tagName === "INPUT" && target.type === "radio";
    if ((event.key === "ArrowRight" || event.key === "ArrowLeft") && !radio) {
      show(state.current + (event.key === "ArrowRight" ? 1 : -1), true);
    } else if (event.key === "x" && target.type === "checkbox") {
      target.click();
    } else if (event.key === "n") {
      notesOfCurrent().focus();
    } else if (event.key === "p") {
      startOrPause();
    } else {
      return;
    }
    event.preventDefault();
  }

  load();
  restore();
  store();
  document.addEventListener("input", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-cell")) remember(event.target);
  });
  document.addEventListener("change", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-cell")) remember(event.target);
  });
  document.getElementById("start").addEventListener("click", startOrPause);
  document.getElementById("save").addEventListener("click", saveMarks);
  // Through the style object, which the page's Content-Security-Policy allows where a style attribute is not.
  document.querySelectorAll("#bar li").forEach(function (item) {
    item.style.flexGrow = item.getAttribute("data-minutes");
  });
  document.querySelectorAll("#bar a").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      show(parseInt(link.getAttribute("data-section"), 10), true);
    });
  });
  document.addEventListener("keydown", onKey);
  show(state.current, false);
  window.setInterval(tick, 250);
})();
