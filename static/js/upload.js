// Drag-and-drop onto the upload form: dropped files become the file input's files.
(function () {
  const zone = document.getElementById("dropzone");
  const input = document.getElementById("files");
  const list = document.getElementById("chosen");
  if (!zone || !input) return;
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
})();
