/* The media module's one exported symbol (src/media_module.h): its
 * functions, linked into weiquan-media.so with src/libwqmedia.a. */
#include "config.h"

#include "media_module.h"

const struct wq_media_module wq_media_module = {
    .abi = WQ_MEDIA_MODULE_ABI,
    .size = sizeof(struct wq_media_module),
    .image_decode = wq_image_decode,
    .media_info_read = wq_media_info_read,
    .pdf_open = wq_pdf_open,
    .pdf_free = wq_pdf_free,
    .pdf_pages = wq_pdf_pages,
    .pdf_page_text = wq_pdf_page_text,
    .pdf_page_image = wq_pdf_page_image,
    .pdf_page_render = wq_pdf_page_render,
    .pdf_engine = wq_pdf_engine,
    .ocr_new = wq_ocr_new,
    .ocr_free = wq_ocr_free,
    .ocr_engine = wq_ocr_engine,
    .ocr_check_image = wq_ocr_check_image,
    .ocr_read = wq_ocr_read,
    .ocr_read_pixels = wq_ocr_read_pixels,
    .document_pdf = wq_document_pdf,
};
