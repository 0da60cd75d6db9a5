// Staff reports: beside each chart's SVG download, a PNG one for a written report, drawn
// here from the same SVG, loaded from the server like any image of the page (the server
// draws no images). Without JavaScript the SVG link remains; word processors take SVG too.
'use strict';
(function () {
    function png(svgUrl, name, button) {
        button.disabled = true;
        var img = new Image();
        img.onload = function () {
            var scale = 2; // sharp in print
            var canvas = document.createElement('canvas');
            canvas.width = img.naturalWidth * scale;
            canvas.height = img.naturalHeight * scale;
            var ctx = canvas.getContext('2d');
            ctx.fillStyle = '#fff';
            ctx.fillRect(0, 0, canvas.width, canvas.height);
            ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
            canvas.toBlob(function (blob) {
                button.disabled = false;
                if (!blob)
                    return;
                var a = document.createElement('a');
                a.href = URL.createObjectURL(blob);
                a.download = name;
                document.body.appendChild(a);
                a.click();
                a.remove();
                setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
            }, 'image/png');
        };
        img.onerror = function () { button.disabled = false; };
        img.src = svgUrl;
    }

    document.querySelectorAll('.downloads a[href*="format=svg"]').forEach(function (link) {
        var q = new URL(link.href, location.href).searchParams.get('q') || 'chart';
        var button = document.createElement('button');
        button.type = 'button';
        button.textContent = 'PNG';
        button.addEventListener('click', function () {
            png(link.href, 'planpack-chart-' + q.replace(/[^A-Za-z0-9-]/g, '-') + '.png', button);
        });
        link.after(' \u00b7 ', button);
    });
})();
