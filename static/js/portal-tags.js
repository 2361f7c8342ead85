// Tag inputs: a comma-separated text field (data-tag-input) becomes a list of tags and an
// entry box; Enter or a comma adds a tag. The field itself stays the submitted value, so
// without this script it is a plain comma-separated text box the server reads the same way.
(function () {
  "use strict";

  function split(text) {
    return text
      .split(/[,;\n]/)
      .map(function (t) {
        return t.trim().replace(/\s+/g, " ");
      })
      .filter(Boolean);
  }

  function enhance(field) {
    const tags = split(field.value);
    const label = document.querySelector('label[for="' + field.id + '"]');
    const name = label ? label.textContent.replace(/:\s*$/, "") : "Tags";
    const editor = document.createElement("div");
    editor.className = "tag-editor";
    const list = document.createElement("ul");
    list.className = "tag-list";
    list.setAttribute("aria-label", name);
    const entry = document.createElement("input");
    entry.type = "text";
    entry.className = "tag-entry";
    entry.placeholder = "Type and press Enter";
    entry.setAttribute("autocomplete", "off");
    // The visible label now names the entry box.
    entry.id = field.id;
    field.id = field.id + "-value";
    ["aria-describedby", "aria-invalid"].forEach(function (attr) {
      if (field.hasAttribute(attr)) entry.setAttribute(attr, field.getAttribute(attr));
    });
    const live = document.createElement("span");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    field.type = "hidden";
    field.parentNode.insertBefore(editor, field);
    editor.append(list, entry, live);

    function render() {
      list.replaceChildren.apply(
        list,
        tags.map(function (tag, i) {
          const li = document.createElement("li");
          li.className = "tag";
          li.append(document.createTextNode(tag + " "));
          const remove = document.createElement("button");
          remove.type = "button";
          remove.className = "tag-remove";
          remove.setAttribute("aria-label", "Remove " + tag);
          remove.textContent = "×";
          remove.addEventListener("click", function () {
            tags.splice(i, 1);
            sync();
            live.textContent = tag + " removed";
            entry.focus();
          });
          li.append(remove);
          return li;
        })
      );
    }

    function sync() {
      field.value = tags.join(", ");
      render();
    }

    function addPending() {
      const added = [];
      split(entry.value).forEach(function (tag) {
        const known = tags.some(function (t) {
          return t.toLowerCase() === tag.toLowerCase();
        });
        if (!known) {
          tags.push(tag);
          added.push(tag);
        }
      });
      entry.value = "";
      if (added.length) {
        sync();
        live.textContent = added.join(", ") + " added";
      }
    }

    entry.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === ",") {
        // Enter adds a tag and never submits the whole form (the help text says "press Enter
        // after each": a second Enter must not publish a half-written job).
        event.preventDefault();
        addPending();
      } else if (event.key === "Backspace" && !entry.value && tags.length) {
        const tag = tags.pop();
        sync();
        live.textContent = tag + " removed";
      }
    });
    entry.addEventListener("input", function () {
      if (/[,;\n]/.test(entry.value)) addPending();
    });
    entry.addEventListener("blur", addPending);
    if (field.form) field.form.addEventListener("submit", addPending, true);
    render();
  }

  document.querySelectorAll("input[data-tag-input]").forEach(enhance);
})();
