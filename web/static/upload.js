/* The 添加报告 page: send the files and URLs, then poll the job until it is indexed. */
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) { return; }
  var STATES = { queued: "排队等待……", fetching: "正在下载网页和附件", indexing: "正在加入索引",
                 done: "完成", failed: "失败" };

  function show(id, on) { document.getElementById(id).hidden = !on; }

  function item(text, href) {
    var li = document.createElement("li");
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      li.appendChild(a);
    } else {
      li.textContent = text;
    }
    return li;
  }

  function render(job) {
    var state = STATES[job.state] || job.state;
    var text = state;
    if ((job.state === "fetching" || job.state === "indexing") && job.total) {
      text += "：" + job.done + " / " + job.total;
    }
    if (job.state === "done" && job.indexed) {
      text += "：索引新增 " + job.indexed.added + " 份，更新 " + job.indexed.updated +
              " 份，未变 " + job.indexed.unchanged + " 份，现在可以检索。";
    }
    if (job.error) { text += "：" + job.error; }
    document.getElementById("upload-state").textContent = text;
    var bar = document.getElementById("upload-progress");
    bar.max = job.total || 1;
    bar.value = job.state === "done" ? bar.max : (job.done || 0);
    var added = document.querySelector("#upload-added ul");
    var failed = document.querySelector("#upload-failed ul");
    added.textContent = "";
    failed.textContent = "";
    (job.added || []).forEach(function (a) {
      if (a.index_error) {
        failed.appendChild(item(a.name + "：已保存，但未能索引：" + a.index_error));
      } else {
        added.appendChild(item(a.name + (a.note ? "（" + a.note + "）" : ""),
                               a.report_id ? "/reports/" + encodeURIComponent(a.report_id) : null));
      }
    });
    (job.failed || []).forEach(function (f) { failed.appendChild(item(f.name + "：" + f.reason)); });
    show("upload-added", added.children.length > 0);
    show("upload-failed", failed.children.length > 0);
  }

  function poll(url) {
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        render(job);
        if (job.state !== "done" && job.state !== "failed" && !job.error) {
          setTimeout(function () { poll(url); }, 500);
        } else {
          document.getElementById("upload-go").disabled = false;
        }
      })
      .catch(function () { setTimeout(function () { poll(url); }, 2000); });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var button = document.getElementById("upload-go");
    button.disabled = true;
    show("upload-status", true);
    render({ state: "queued", added: [], failed: [] });
    document.getElementById("upload-state").textContent = "正在上传……";
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
                         headers: { Accept: "application/json" } })
      .then(function (r) { return r.json().then(function (body) { return [r.status, body]; }); })
      .then(function (res) {
        var body = res[1];
        if (res[0] !== 202) {
          render({ state: "failed", error: body.error, added: [], failed: body.failed || [] });
          button.disabled = false;
          return;
        }
        render(body);
        form.reset();
        poll(body.status_url);
      })
      .catch(function () {
        render({ state: "failed", error: "无法连接服务器", added: [], failed: [] });
        button.disabled = false;
      });
  });
}());
