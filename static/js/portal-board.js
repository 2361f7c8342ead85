// Pipeline board: drag a card to a column to move it, or use the card's "Move to" form.
// Both POST the same fields to the application's move URL through htmx, which swaps in the
// board as the server re-rendered it. Without this script (or htmx) the forms post normally.
(function () {
  "use strict";

  if (window.htmx) {
    // htmx 2 swaps no error response by default; a refused move answers 422 with the board
    // and its message, which must be shown.
    window.htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "422", swap: true, error: false },
      { code: "[45]..", swap: false, error: true },
      { code: "...", swap: false },
    ];
  }

  let dragged = null;

  function board() {
    return document.getElementById("board");
  }

  function needsReason(card, stage) {
    // Leaving the pipeline or going back to an earlier stage (the card lists which).
    return (card.dataset.reasonStages || "").split(" ").includes(stage);
  }

  function stageLabel(stage) {
    const column = document.querySelector('.column[data-stage="' + stage + '"]');
    return column ? column.dataset.label : stage;
  }

  function say(text, isError) {
    const status = document.getElementById("board-status");
    if (!status) return;
    const p = document.createElement("p");
    p.className = "msg " + (isError ? "msg-error" : "msg-success");
    p.setAttribute("role", isError ? "alert" : "status");
    p.textContent = text;
    status.replaceChildren(p);
    status.focus();
  }

  function askReason(what) {
    const dialog = document.getElementById("move-reason-dialog");
    if (!dialog || typeof dialog.showModal !== "function") {
      const typed = window.prompt(what + "\nReason:");
      return Promise.resolve(typed && typed.trim() ? typed.trim() : null);
    }
    const input = document.getElementById("move-reason-input");
    document.getElementById("move-reason-what").textContent = what;
    input.value = "";
    return new Promise(function (resolve) {
      function onClose() {
        dialog.removeEventListener("close", onClose);
        const reason = input.value.trim();
        resolve(dialog.returnValue === "confirm" && reason ? reason : null);
      }
      dialog.addEventListener("close", onClose);
      dialog.returnValue = "";
      dialog.showModal();
      input.focus();
    });
  }

  async function move(card, toStage, reason, note) {
    const name = card.dataset.name || "This candidate";
    if (needsReason(card, toStage) && !reason) {
      reason = await askReason(name + " → " + stageLabel(toStage) + ": why?");
      if (!reason) {
        say(name + " was not moved: moving to " + stageLabel(toStage) + " needs a reason.", true);
        return;
      }
    }
    const token = card.querySelector("input[name=csrfmiddlewaretoken]");
    card.classList.add("is-moving");
    card.setAttribute("aria-busy", "true");
    await window.htmx.ajax("POST", card.dataset.moveUrl, {
      target: "#board",
      swap: "outerHTML",
      values: { to_stage: toStage, reason: reason || "", note: note || "" },
      headers: { "X-CSRFToken": token ? token.value : "" },
    });
    const status = document.getElementById("board-status");
    if (status && status.textContent.trim()) status.focus();
  }

  function clearDrag() {
    const el = board();
    if (el) {
      el.classList.remove("is-dragging");
      el.querySelectorAll(".column").forEach(function (column) {
        column.classList.remove("drop-ok", "drop-no", "drop-home", "drop-over");
        column.removeAttribute("aria-disabled");
      });
      el.querySelectorAll(".is-dragged").forEach(function (c) {
        c.classList.remove("is-dragged");
      });
    }
    dragged = null;
  }

  document.addEventListener("dragstart", function (event) {
    const card = event.target.closest && event.target.closest('.card-item[draggable="true"]');
    if (!card || !window.htmx) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
    const allowed = (card.dataset.allowed || "").split(" ");
    board().classList.add("is-dragging");
    card.classList.add("is-dragged");
    board().querySelectorAll(".column").forEach(function (column) {
      const stage = column.dataset.stage;
      if (stage === card.dataset.stage) column.classList.add("drop-home");
      else if (allowed.includes(stage)) column.classList.add("drop-ok");
      else {
        column.classList.add("drop-no");
        column.setAttribute("aria-disabled", "true");
      }
    });
  });

  document.addEventListener("dragend", clearDrag);

  document.addEventListener("dragover", function (event) {
    const column = dragged && event.target.closest && event.target.closest(".column.drop-ok");
    if (!column) return; // not preventing the default is what refuses the drop
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    column.classList.add("drop-over");
  });

  document.addEventListener("dragleave", function (event) {
    const column = event.target.closest && event.target.closest(".column");
    if (column && !column.contains(event.relatedTarget)) column.classList.remove("drop-over");
  });

  document.addEventListener("drop", function (event) {
    const column = dragged && event.target.closest && event.target.closest(".column.drop-ok");
    if (!column) return;
    event.preventDefault();
    const card = dragged;
    clearDrag();
    move(card, column.dataset.stage, "", "");
  });

  // The card's form: the same move, without leaving the page. Capture phase, so that this
  // runs before the browser's own submit.
  document.addEventListener(
    "submit",
    function (event) {
      const form = event.target.closest && event.target.closest(".move-form");
      if (!form || !window.htmx) return;
      event.preventDefault();
      const card = form.closest(".card-item");
      move(
        card,
        form.elements.to_stage.value,
        form.elements.reason.value.trim(),
        form.elements.note.value.trim()
      );
    },
    true
  );

  document.addEventListener("htmx:sendError", function () {
    say("The move was not saved: the server could not be reached. Nothing changed.", true);
  });
  document.addEventListener("htmx:responseError", function (event) {
    if (event.detail.xhr.status !== 422) {
      say("The move was not saved (server error). Reload the page to see the board as stored.", true);
    }
  });
})();
