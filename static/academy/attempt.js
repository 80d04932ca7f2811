/*
 * The attempt page, enhanced: answers save themselves as the learner works, and the time limit
 * counts down quietly. Without this script the page works as before: the buttons save and submit,
 * and the server enforces the deadline (it finalises the attempt on the next visit).
 *
 * Autosave posts the whole form, URL-encoded, with autosave=1, to the attempt's own URL. On an
 * assessment shown on pages the form is one page's, and its hidden "page" field tells the server
 * which questions it holds: only those are saved (a field for another page's question is refused,
 * as any other tampering). The buttons between pages post the form as usual. The view answers
 * JSON: 200 {"saved_at": "14:32"}, 400 {"error": "..."} (nothing was saved), or 409
 * {"error": "...", "redirect": "<result URL>"} when the attempt is closed (time up, submitted).
 *
 * "Check this answer" stays an ordinary post (it stops autosave, as every button does); the server
 * saves the page, checks the answer and sends the page back at the answer's feedback
 * (#question-N-feedback). The script then moves focus to that feedback and has the result read
 * out, since a new page load is not announced by itself.
 *
 * "Submit my answers" with questions not answered shows a warning on the page listing them, with
 * "Submit anyway" (posted as submit=confirmed) and "Go back to my answers". Without the script the
 * server does the same with its check-your-answers step.
 *
 * The countdown is computed from the server's deadline and the server's clock at render time
 * (data-deadline, data-server-now), so a wrong clock on the learner's machine does not matter.
 * The minutes shown change at most once a minute; the screen reader is told only at 10, 5 and
 * 1 minute left and when time is up.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-attempt-url]");
  if (!form || !window.fetch || !window.FormData || !window.URLSearchParams) {
    return;
  }

  var DEBOUNCE_MS = 2000;
  var TICK_MS = 15000;
  var THRESHOLDS = [10, 5, 1]; // minutes left at which the screen reader is told
  var status = form.querySelector("[data-autosave-status]");

  // A count with its noun, as the server writes it (formatting.plural): "1 hour", "2 hours".
  function counted(count, noun) {
    return count + " " + noun + (count === 1 ? "" : "s");
  }

  function say(region, text) {
    // Rewriting a live region with the same words is not announced again, and is not needed.
    if (region && region.textContent !== text) {
      region.textContent = text;
    }
  }

  // Autosave --------------------------------------------------------------------------------

  var autosave = {
    stopped: false, // the learner pressed a button: the form's own post takes over
    inFlight: false, // one request at a time, so an older save never lands after a newer one
    again: false, // something changed while a request was in flight
    unsaved: false, // the last attempt failed: try again when the connection comes back
    timer: null,
    saved: snapshot(), // what the server has: the page was rendered from it
  };

  function snapshot() {
    return new URLSearchParams(new FormData(form)).toString();
  }

  function csrfToken() {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function save() {
    window.clearTimeout(autosave.timer);
    if (autosave.stopped) {
      return;
    }
    if (autosave.inFlight) {
      autosave.again = true;
      return;
    }
    var sent = snapshot();
    if (sent === autosave.saved) {
      return;
    }
    // Sent URL-encoded (the form has no file fields): the server reads that far more cheaply
    // than multipart/form-data, and every learner in an exam saves every few seconds.
    var data = new URLSearchParams(new FormData(form));
    data.append("autosave", "1");
    autosave.inFlight = true;
    autosave.again = false;
    window
      .fetch(form.getAttribute("data-attempt-url"), {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          // A login page after the session expired, or an error page: not our JSON.
          return { status: response.status, body: null };
        }
        return response.json().then(function (body) {
          return { status: response.status, body: body };
        });
      })
      .then(function (result) {
        var body = result.body;
        if (body && body.redirect) {
          closed(body);
        } else if (result.status === 200 && body && body.saved_at) {
          autosave.saved = sent;
          autosave.unsaved = false;
          say(status, "All answers saved at " + body.saved_at + ".");
        } else if (result.status === 400 && body && body.error) {
          autosave.unsaved = false; // the answer itself must change before saving can work
          say(status, "Your latest changes are not saved. " + body.error);
        } else {
          autosave.unsaved = true;
          say(
            status,
            "Your latest changes could not be saved automatically. " +
              "Use \u201cSave and finish later\u201d to save them."
          );
        }
      })
      .catch(function () {
        autosave.unsaved = true;
        say(
          status,
          "Your latest changes are not saved yet: the connection seems to be lost. " +
            "They will be saved when it comes back."
        );
      })
      .then(function () {
        autosave.inFlight = false;
        if (autosave.again) {
          save();
        }
      });
  }

  function saveSoon() {
    window.clearTimeout(autosave.timer);
    autosave.timer = window.setTimeout(save, DEBOUNCE_MS);
  }

  function isTyped(element) {
    return element.tagName === "TEXTAREA" || (element.tagName === "INPUT" && element.type === "text");
  }

  form.addEventListener("input", function (event) {
    if (isTyped(event.target)) {
      saveSoon(); // typing: wait for a pause
    }
  });
  form.addEventListener("change", function () {
    // A choice made, or a text field left. Enter in a field fires this just before the form's
    // own submit: waiting a tick lets the submit handler stop autosave, so the two never race.
    window.setTimeout(save, 0);
  });
  window.addEventListener("online", function () {
    if (autosave.unsaved) {
      save();
    }
  });
  form.addEventListener("submit", function (event) {
    if (warnIfUnanswered(event)) {
      return; // the learner decides on the page; nothing is posted yet
    }
    // "Save and finish later" or "Submit my answers": the ordinary post does it from here.
    autosave.stopped = true;
    window.clearTimeout(autosave.timer);
  });

  // Submitting with questions not answered ----------------------------------------------------

  // Each question of the page ([data-question], not one already checked) as "answered",
  // "partly" (some of its items left) or "unanswered", from its fields as they are now.
  function questionState(group) {
    var choices = group.querySelectorAll("input[type=radio], input[type=checkbox]");
    if (choices.length) {
      return Array.prototype.some.call(choices, function (input) {
        return input.checked;
      })
        ? "answered"
        : "unanswered";
    }
    var selects = group.querySelectorAll("select");
    if (selects.length) {
      var chosen = Array.prototype.filter.call(selects, function (select) {
        return select.value !== "";
      }).length;
      return chosen === selects.length ? "answered" : chosen ? "partly" : "unanswered";
    }
    var typed = group.querySelector("textarea, input[type=text]");
    return typed && typed.value.trim() ? "answered" : "unanswered";
  }

  var warningBox = form.querySelector("[data-unanswered-warning]");

  function link(number, state) {
    var item = document.createElement("li");
    var anchor = document.createElement("a");
    anchor.href = "#question-" + number;
    anchor.textContent = "Question " + number;
    item.appendChild(anchor);
    item.appendChild(
      document.createTextNode(": " + (state === "partly" ? "partly answered" : "not answered"))
    );
    return item;
  }

  // On "Submit my answers" (not "Submit anyway"), with questions not answered: show the warning
  // on the page, move focus to it and stop the post. True when it did.
  function warnIfUnanswered(event) {
    var button = event.submitter;
    if (!warningBox || !button || button.name !== "submit" || button.value === "confirmed") {
      return false;
    }
    var groups = form.querySelectorAll("[data-question]");
    var missing = [];
    Array.prototype.forEach.call(groups, function (group) {
      var state = questionState(group);
      if (state !== "answered") {
        missing.push([group.getAttribute("data-question"), state]);
      }
    });
    if (!missing.length) {
      return false;
    }
    event.preventDefault();
    var list = warningBox.querySelector("[data-unanswered-list]");
    list.textContent = "";
    missing.forEach(function (pair) {
      list.appendChild(link(pair[0], pair[1]));
    });
    var total = groups.length + form.querySelectorAll("[data-check-result]").length;
    warningBox.querySelector("[data-unanswered-summary]").textContent =
      "You have answered " + (total - missing.length) + " of " + counted(total, "question") +
      ". " + (missing.length === 1 ? "This one is" : "These are") + " not finished:";
    warningBox.hidden = false;
    warningBox.focus();
    return true;
  }

  if (warningBox) {
    warningBox.querySelector("[data-unanswered-back]").addEventListener("click", function () {
      warningBox.hidden = true;
      var first = warningBox.querySelector("[data-unanswered-list] a");
      var group = first ? document.getElementById(first.hash.slice(1)) : null;
      var field = group ? group.querySelector("input, select, textarea") : null;
      if (field) {
        field.focus();
      }
    });
  }
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      // Back from the browser's cache (after a submit, say): the answers and the clock shown
      // are old. Ask the server again; it shows the attempt as it is, or its result.
      window.location.reload();
    }
  });

  // A checked answer ----------------------------------------------------------------------------

  var checked = window.location.hash
    ? document.getElementById(window.location.hash.slice(1))
    : null;
  if (checked && checked.hasAttribute("data-check-result")) {
    checked.focus();
    // A live region is read out when its text changes after the page has loaded, not before.
    window.setTimeout(function () {
      say(form.querySelector("[data-check-announcer]"), checked.getAttribute("data-check-result"));
    }, 500);
  }

  // Closing: time up, or submitted elsewhere --------------------------------------------------

  var leaving = false;

  function leave(url) {
    if (leaving) {
      return;
    }
    leaving = true;
    autosave.stopped = true;
    window.location.assign(url);
  }

  function closed(body) {
    say(status, body.error || "");
    leave(body.redirect);
  }

  // The countdown -----------------------------------------------------------------------------

  var deadline = Date.parse(form.getAttribute("data-deadline") || "");
  var serverNow = Date.parse(form.getAttribute("data-server-now") || "");
  if (isNaN(deadline) || isNaN(serverNow)) {
    return; // no time limit
  }
  var offset = serverNow - Date.now(); // add to this machine's clock to get the server's
  var graceMs = (Number(form.getAttribute("data-grace-seconds")) || 0) * 1000;
  var words = document.querySelector("[data-time-left-words]");
  var announcer = document.querySelector("[data-time-announcer]");
  var pending = THRESHOLDS.filter(function (minutes) {
    return remaining() > minutes * 60000; // only thresholds still ahead when the page loads
  });
  var expired = false;
  var tickTimer = null;

  function remaining() {
    return deadline - (Date.now() + offset);
  }

  // The same words the server uses (selectors.TimeLeft.in_words).
  function inWords(ms) {
    var minutes = Math.max(0, Math.ceil(ms / 60000));
    if (minutes <= 0) {
      return "your time is up";
    }
    if (minutes === 1) {
      return "less than a minute left";
    }
    if (minutes < 120) {
      return "about " + minutes + " minutes left";
    }
    var hours = Math.floor(minutes / 60);
    var rest = minutes % 60;
    return rest
      ? "about " + counted(hours, "hour") + " " + counted(rest, "minute") + " left"
      : counted(hours, "hour") + " left";
  }

  function warning(minutes) {
    if (minutes === 1) {
      return "1 minute left. When time is up, your saved answers are submitted for you.";
    }
    return minutes + " minutes left to finish this assessment.";
  }

  function timeUp() {
    expired = true;
    if (announcer) {
      announcer.classList.remove("nhsuk-u-visually-hidden");
      say(
        announcer,
        "Your time is up. Your saved answers are being submitted, and your result will open " +
          "in a moment."
      );
    }
    save(); // the last changes, still within the grace the server allows
    // The server finalises the attempt once the deadline and its grace have passed; visiting
    // the attempt page then takes the learner to the result.
    var wait = Math.max(2000, remaining() + graceMs + 1500);
    window.setTimeout(function () {
      leave(form.getAttribute("data-attempt-url"));
    }, wait);
  }

  function tick() {
    window.clearTimeout(tickTimer);
    if (expired || leaving) {
      return;
    }
    var left = remaining();
    if (words) {
      say(words, inWords(left));
    }
    if (left <= 0) {
      timeUp();
      return;
    }
    var crossed = pending.filter(function (minutes) {
      return left <= minutes * 60000;
    });
    if (crossed.length) {
      pending = pending.filter(function (minutes) {
        return left > minutes * 60000;
      });
      // After a long sleep several may have passed at once: tell only the latest.
      say(announcer, warning(Math.min.apply(null, crossed)));
    }
    // Wake at the next threshold or at the deadline, and at least every TICK_MS for the words.
    var next = TICK_MS;
    pending.concat([0]).forEach(function (minutes) {
      var until = left - minutes * 60000;
      if (until > 0 && until < next) {
        next = until;
      }
    });
    tickTimer = window.setTimeout(tick, next + 50);
  }

  // Background tabs run timers late; catch up as soon as the learner is back.
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      tick();
    }
  });
  tick();
})();
