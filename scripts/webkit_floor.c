/* The floor of any WebKitGTK app, for the desktop bench (scripts/bench_app.sh): one GTK window,
 * one web view, a static page showing one code. No Tauri, no IPC, no vault: what is left is what
 * WebKitGTK itself costs to start and to keep, beside which Tessera's own share can be read.
 * Built by the bench: cc webkit_floor.c $(pkg-config --cflags --libs webkit2gtk-4.1) */
#include <webkit2/webkit2.h>

int main(int argc, char **argv) {
    gtk_init(&argc, &argv);
    GtkWidget *window = gtk_window_new(GTK_WINDOW_TOPLEVEL);
    gtk_window_set_title(GTK_WINDOW(window), "WebKitGTK floor");
    gtk_window_set_default_size(GTK_WINDOW(window), 440, 640);
    GtkWidget *view = webkit_web_view_new();
    gtk_container_add(GTK_CONTAINER(window), view);
    webkit_web_view_load_html(WEBKIT_WEB_VIEW(view),
                              "<html><body style='font:32px sans-serif'><p>Example</p>"
                              "<p>273 868</p></body></html>",
                              "about:blank");
    g_signal_connect(window, "destroy", G_CALLBACK(gtk_main_quit), NULL);
    gtk_widget_show_all(window);
    gtk_main();
    return 0;
}
