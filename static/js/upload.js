// The upload form: drag-and-drop adds dropped files to the file input; on submit, files are
// sent one by one (XMLHttpRequest, a byte progress bar each) into the batch the page was drawn
// with, then each file's parse status is shown as it happens. Without this script the form
// posts every file at once and the batch page shows the progress (docs/portal.md, "Upload").
(function () {
  const form = document.getElementById("upload-form");
  const zone = document.getElementById("dropzone");
  const input = document.getElementById("files");
  const list = document.getElementById("chosen");
  if (!form || !zone || !input) return;

  function show() {
    list.replaceChildren(...Array.from(input.files).map((f) => {
      const li = document.createElement("li");
      li.textContent = `${f.name} (${Math.ceil(f.size / 1024)} KB)`;
      return li;
    }));
  }
  ["dragenter", "dragover"].forEach((type) => zone.addEventListener(type, (e) => {
    e.preventDefault(); zone.classList.add("dragging");
  }));
  ["dragleave", "drop"].forEach((type) => zone.addEventListener(type, (e) => {
    e.preventDefault(); zone.classList.remove("dragging");
  }));
  zone.addEventListener("drop", (e) => {
    const merged = new DataTransfer();
    Array.from(input.files).forEach((f) => merged.items.add(f));
    Array.from(e.dataTransfer.files).forEach((f) => merged.items.add(f));
    input.files = merged.files;
    show();
  });
  input.addEventListener("change", show);

  const fileUrl = form.dataset.fileUrl;
  if (!fileUrl || !window.XMLHttpRequest || !window.FormData) return;

  const button = document.getElementById("upload-button");
  const error = document.getElementById("upload-error");
  const live = document.getElementById("upload-live");
  const rows = document.getElementById("upload-files");
  const summary = document.getElementById("upload-summary");
  const done = document.getElementById("upload-done");
  const LABELS = {
    queued: "Queued", parsing: "Parsing", parsed: "Parsed", failed: "Failed",
    duplicate: "Duplicate", refused: "Refused",
  };
  const itemRows = new Map(); // item id -> its <li>
  let started = false;
  let sending = 0; // files not answered yet
  let statusUrl = null;
  let polling = null;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showItem(target, item) {
    let li = itemRows.get(item.id);
    if (!li) {
      li = el("li", "upload-item");
      li.dataset.item = item.id;
      li.append(el("span", "upload-item-name"), " ", el("span", "badge"), " ", el("span", "upload-item-reason"));
      target.append(li);
      itemRows.set(item.id, li);
    }
    li.dataset.status = item.status;
    li.querySelector(".upload-item-name").textContent = item.filename;
    const badge = li.querySelector(".badge");
    badge.className = `badge status-badge-${item.status}`;
    badge.textContent = LABELS[item.status] || item.status;
    li.querySelector(".upload-item-reason").textContent = item.reason || "";
  }

  function fileRow(file) {
    const row = el("li", "upload-file");
    row.dataset.file = file.name;
    const bar = el("progress");
    bar.max = Math.max(file.size, 1);
    bar.value = 0;
    bar.setAttribute("aria-label", `Sending ${file.name}`);
    row.append(el("strong", "upload-file-name", file.name), " ", el("span", "upload-file-sent", "Waiting to be sent"), bar, el("ul", "upload-items"));
    rows.append(row);
    return row;
  }

  function summarize(status) {
    const waiting = sending ? `; ${sending} file(s) still being sent` : "";
    summary.textContent = `${status.done} of ${status.total} files done${waiting}.`;
    const finished = status.finished && sending === 0;
    if (finished) {
      summary.textContent = `${status.done} of ${status.total} files done — finished.`;
      button.textContent = "Uploaded";
      done.hidden = false;
    }
    return finished;
  }

  function poll() {
    if (!statusUrl || polling) return;
    polling = window.setInterval(() => {
      fetch(statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : null))
        .then((status) => {
          if (!status) return;
          status.items.forEach((item) => { if (itemRows.has(item.id)) showItem(null, item); });
          if (summarize(status)) { window.clearInterval(polling); polling = null; }
        })
        .catch(() => { /* the next tick tries again */ });
    }, 1000);
  }

  function failed(row, file, message) {
    row.classList.add("upload-file-failed");
    row.querySelector(".upload-file-sent").textContent = `Not sent: ${message}`;
    // Nothing a user gave is lost: the file stays here, ready to be sent again.
    const retry = el("button", "secondary upload-retry", "Try again");
    retry.type = "button";
    retry.addEventListener("click", () => { retry.remove(); send(file, row); }, { once: true });
    row.append(retry);
  }

  function send(file, row) {
    return new Promise((resolve) => {
      sending += 1;
      row.classList.remove("upload-file-failed");
      const sent = row.querySelector(".upload-file-sent");
      const bar = row.querySelector("progress");
      sent.textContent = "Sending…";
      const body = new FormData();
      body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
      body.append("job", form.elements.job.value);
      body.append("file", file, file.name);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", fileUrl);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", (e) => {
        if (e.lengthComputable) { bar.max = e.total; bar.value = e.loaded; }
        row.dataset.sentBytes = e.loaded;
        sent.textContent = `Sending… ${Math.round((100 * e.loaded) / Math.max(e.total, 1))}%`;
      });
      function finish() { sending -= 1; resolve(); }
      xhr.addEventListener("load", () => {
        let answer = null;
        try { answer = JSON.parse(xhr.responseText); } catch (_) { answer = null; }
        if (answer && answer.items) {
          bar.value = bar.max;
          sent.textContent = "Sent";
          answer.items.forEach((item) => showItem(row.querySelector(".upload-items"), item));
          statusUrl = answer.status_url;
          document.getElementById("upload-batch-link").href = answer.batch_url;
          poll();
        } else if (answer && answer.error) {
          failed(row, file, answer.error);
        } else {
          failed(row, file, `the server answered HTTP ${xhr.status} (has your session ended? Sign in again in another tab)`);
        }
        finish();
      });
      xhr.addEventListener("error", () => { failed(row, file, "the connection failed"); finish(); });
      xhr.addEventListener("abort", () => { failed(row, file, "sending was stopped"); finish(); });
      xhr.send(body);
    });
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    // A double click, or Enter pressed twice, sends nothing twice (the server also answers
    // a file sent again to the same batch with the items it already gave).
    if (started) return;
    const files = Array.from(input.files);
    if (!files.length) {
      error.textContent = "Choose at least one file to upload.";
      error.hidden = false;
      return;
    }
    started = true;
    error.hidden = true;
    button.disabled = true;
    button.textContent = "Uploading…";
    input.disabled = true;
    form.elements.job.disabled = true;
    live.hidden = false;
    const pending = files.map((file) => [file, fileRow(file)]);
    summary.textContent = `Sending ${files.length} file(s)…`;
    for (const [file, row] of pending) {
      await send(file, row); // one by one: each file's bar moves in turn
    }
    if (!statusUrl) summary.textContent = "No file was sent: each file says why below.";
  });
})();
