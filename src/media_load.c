/* The functions of weiquan/media.h, weiquan/ocr.h and wq_document_pdf()
 * that need the libraries of pictures, PDFs and text recognition, as
 * forwarders into the media module (src/media_module.h), which is
 * loaded the first time one of them is called: a process that never
 * opens a picture or a PDF (weiquan --version, case list, most of the
 * console) never maps those ~100 libraries.  Linked into weiquan only;
 * the unit tests, benchmarks and fuzz targets link src/libwqmedia.a
 * itself.
 *
 * Where the module is: the directory that configure compiled in
 * (WQ_MODULEDIR, $(pkglibdir)).  Only a process that is not secure
 * (neither setgid nor setuid: AT_SECURE) also looks first beside its
 * own executable, as ld.so treats $ORIGIN, so that a build tree's
 * ./weiquan uses the module built beside it; a setgid weiquan loads
 * only the installed one, whatever sits beside a link to it.  No
 * environment variable chooses the path.
 *
 * When the module cannot be loaded, every call fails with WQ_ERR_IO and
 * a detail that names the file and the loader's reason (pictures, PDFs
 * and text recognition unavailable); the rest of weiquan works. */
#include "config.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "media_module.h"
#include "util.h"
#include "weiquan/wqtime.h"

#ifndef WQ_MODULEDIR
#error "WQ_MODULEDIR: the media module's installed directory (Makefile.am)"
#endif

static const struct wq_media_module *loaded;
static char tried[PATH_MAX];   /* the file loaded or tried */
static char reason[512];       /* dlerror() or the table's fault */
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* The module beside the running executable, when the process may look
 * there (not secure) and one is there. */
static bool beside_executable(char *out, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n;
	char *slash;

	if (getauxval(AT_SECURE) != 0 || wq_privileged())
		return false;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return false;
	*slash = '\0';
	if ((size_t)snprintf(out, size, "%s/%s", exe, WQ_MEDIA_MODULE_FILE) >=
	    size)
		return false;
	return access(out, F_OK) == 0;
}

static void load(void)
{
	void *handle;
	const struct wq_media_module *table;

	if (!beside_executable(tried, sizeof(tried)))
		snprintf(tried, sizeof(tried), "%s/%s", WQ_MODULEDIR,
			 WQ_MEDIA_MODULE_FILE);
	handle = dlopen(tried, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		const char *e = dlerror();
		size_t n = strlen(tried);

		/* glibc's reason starts with the file, which the message
		 * names already. */
		if (e && strncmp(e, tried, n) == 0 && strncmp(e + n, ": ", 2) == 0)
			e += n + 2;
		snprintf(reason, sizeof(reason), "%s", e ? e : "dlopen");
		return;
	}
	dlerror();
	table = dlsym(handle, WQ_MEDIA_MODULE_SYMBOL);
	if (!table) {
		const char *e = dlerror();

		snprintf(reason, sizeof(reason), "%s",
			 e ? e : "no " WQ_MEDIA_MODULE_SYMBOL);
		dlclose(handle);
		return;
	}
	if (table->abi != WQ_MEDIA_MODULE_ABI ||
	    table->size < sizeof(struct wq_media_module)) {
		snprintf(reason, sizeof(reason),
			 "interface %u (%zu bytes), this weiquan needs %u "
			 "(%zu bytes)",
			 table->abi, table->size, WQ_MEDIA_MODULE_ABI,
			 sizeof(struct wq_media_module));
		dlclose(handle);
		return;
	}
	/* Kept loaded for the life of the process. */
	loaded = table;
}

static const struct wq_media_module *module(void)
{
	pthread_once(&once, load);
	return loaded;
}

void wq_media_preload(void)
{
	module();
}

static enum wq_err unavailable(void)
{
	return wq_fail(WQ_ERR_IO,
		       N_("pictures, PDFs and text recognition are "
			  "unavailable: cannot load %s: %s"),
		       tried, reason);
}

/* The same, said where a struct wq_media_problem is read. */
static enum wq_err unavailable_problem(struct wq_media_problem *problem)
{
	enum wq_err err = unavailable();

	if (problem) {
		memset(problem, 0, sizeof(*problem));
		problem->why = WQ_MEDIA_UNSUPPORTED;
		const char *d = wq_err_detail();
		size_t n = strlen(d);

		/* Cut where a character begins. */
		if (n >= sizeof(problem->detail)) {
			n = sizeof(problem->detail) - 1;
			while (n > 0 && ((unsigned char)d[n] & 0xc0) == 0x80)
				n--;
		}
		memcpy(problem->detail, d, n);
		problem->detail[n] = '\0';
	}
	return err;
}

enum wq_err wq_image_decode(const void *bytes, size_t len,
			    struct wq_image **image,
			    struct wq_media_problem *problem)
{
	const struct wq_media_module *m = module();

	if (!m) {
		*image = NULL;
		return unavailable_problem(problem);
	}
	return m->image_decode(bytes, len, image, problem);
}

enum wq_err wq_media_info_read(const void *bytes, size_t len,
			       struct wq_media_info *info,
			       struct wq_media_problem *problem)
{
	const struct wq_media_module *m = module();

	if (!m) {
		memset(info, 0, sizeof(*info));
		info->kind = wq_media_sniff(bytes, len);
		return unavailable_problem(problem);
	}
	return m->media_info_read(bytes, len, info, problem);
}

enum wq_err wq_pdf_open(const void *bytes, size_t len, struct wq_pdf **pdf,
			struct wq_media_problem *problem)
{
	const struct wq_media_module *m = module();

	if (!m) {
		*pdf = NULL;
		return unavailable_problem(problem);
	}
	return m->pdf_open(bytes, len, pdf, problem);
}

/* A struct wq_pdf or wq_ocr exists only when the module made it, so the
 * calls that take one need not check that it is loaded. */
void wq_pdf_free(struct wq_pdf **pdf)
{
	if (*pdf)
		module()->pdf_free(pdf);
}

int wq_pdf_pages(const struct wq_pdf *pdf)
{
	return module()->pdf_pages(pdf);
}

enum wq_err wq_pdf_page_text(struct wq_pdf *pdf, int page, char **text)
{
	return module()->pdf_page_text(pdf, page, text);
}

enum wq_err wq_pdf_page_image(struct wq_pdf *pdf, int page,
			      struct wq_image **image,
			      struct wq_media_problem *problem)
{
	return module()->pdf_page_image(pdf, page, image, problem);
}

enum wq_err wq_pdf_page_render(struct wq_pdf *pdf, int page, long max_pixels,
			       struct wq_image **image, int *dpi,
			       struct wq_media_problem *problem)
{
	return module()->pdf_page_render(pdf, page, max_pixels, image, dpi,
					 problem);
}

const char *wq_pdf_engine(void)
{
	const struct wq_media_module *m = module();

	return m ? m->pdf_engine() : "";
}

enum wq_err wq_ocr_new(const char *languages, struct wq_ocr **out)
{
	const struct wq_media_module *m = module();

	if (!m) {
		*out = NULL;
		return unavailable();
	}
	return m->ocr_new(languages, out);
}

void wq_ocr_free(struct wq_ocr **ocr)
{
	if (*ocr)
		module()->ocr_free(ocr);
}

const char *wq_ocr_engine(const struct wq_ocr *ocr)
{
	return module()->ocr_engine(ocr);
}

enum wq_err wq_ocr_check_image(const void *bytes, size_t len, int *width,
			       int *height)
{
	const struct wq_media_module *m = module();

	if (!m)
		return unavailable();
	return m->ocr_check_image(bytes, len, width, height);
}

enum wq_err wq_ocr_read(struct wq_ocr *ocr, const void *bytes, size_t len,
			struct wq_ocr_result *out)
{
	return module()->ocr_read(ocr, bytes, len, out);
}

enum wq_err wq_ocr_read_pixels(struct wq_ocr *ocr, int width, int height,
			       int stride, const unsigned char *rgba, int dpi,
			       struct wq_ocr_result *out)
{
	return module()->ocr_read_pixels(ocr, width, height, stride, rgba, dpi,
					 out);
}

enum wq_err wq_document_pdf(const struct wq_document *doc, char **pdf,
			    size_t *len)
{
	const struct wq_media_module *m = module();

	if (!m) {
		*pdf = NULL;
		*len = 0;
		return unavailable();
	}
	return m->document_pdf(doc, pdf, len);
}
