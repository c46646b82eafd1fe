/* SPDX-License-Identifier: MIT */
#define COBJMACROS
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <objidl.h>
#include <wincodec.h>

#include "clipboard-dib.h"
#include "clipboard-image.h"

/* The largest image decoded: 8192 x 8192 (256 MiB of BGRA). */
#define IMAGE_PIXELS_MAX (64u * 1024u * 1024u)

/* The WIC objects of one conversion, released together. */
struct wic {
	IWICImagingFactory *factory;
	IStream *in;
	IWICBitmapDecoder *decoder;
	IWICBitmapFrameDecode *frame;
	IWICFormatConverter *converter;
	IStream *out;
	IWICBitmapEncoder *encoder;
	IWICBitmapFrameEncode *frame_out;
};

#define RELEASE(p, type)                                                      \
	do {                                                                  \
		if (p)                                                        \
			type##_Release(p);                                    \
	} while (0)

static void wic_done(struct wic *w)
{
	RELEASE(w->frame_out, IWICBitmapFrameEncode);
	RELEASE(w->encoder, IWICBitmapEncoder);
	RELEASE(w->out, IStream);
	RELEASE(w->converter, IWICFormatConverter);
	RELEASE(w->frame, IWICBitmapFrameDecode);
	RELEASE(w->decoder, IWICBitmapDecoder);
	RELEASE(w->in, IStream);
	RELEASE(w->factory, IWICImagingFactory);
}

/* A stream reading a copy of len bytes (ole32 only: no shlwapi). */
static IStream *stream_of(const uint8_t *data, size_t len)
{
	IStream *s = NULL;
	HGLOBAL h = GlobalAlloc(GMEM_MOVEABLE, len ? len : 1);

	if (!h)
		return NULL;
	void *p = GlobalLock(h);
	if (p) {
		memcpy(p, data, len);
		GlobalUnlock(h);
		if (SUCCEEDED(CreateStreamOnHGlobal(h, TRUE, &s))) {
			ULARGE_INTEGER size = { .QuadPart = len };
			IStream_SetSize(s, size);
			return s; /* the stream frees h */
		}
	}
	GlobalFree(h);
	return NULL;
}

/* Decode len bytes at data and convert the first frame to pixel format
 * fmt; its size into *width, *height. */
static int decode(struct wic *w, const uint8_t *data, size_t len,
		  const GUID *fmt, UINT *width, UINT *height)
{
	HRESULT hr;

	if (len > UINT_MAX)
		return -EINVAL;
	hr = CoCreateInstance(&CLSID_WICImagingFactory, NULL,
			      CLSCTX_INPROC_SERVER, &IID_IWICImagingFactory,
			      (void **)&w->factory);
	if (FAILED(hr))
		return -EIO;
	w->in = stream_of(data, len);
	if (!w->in)
		return -ENOMEM;
	hr = IWICImagingFactory_CreateDecoderFromStream(
		w->factory, w->in, NULL, WICDecodeMetadataCacheOnDemand,
		&w->decoder);
	if (FAILED(hr))
		return -EINVAL;
	hr = IWICBitmapDecoder_GetFrame(w->decoder, 0, &w->frame);
	if (FAILED(hr))
		return -EINVAL;
	hr = IWICBitmapFrameDecode_GetSize(w->frame, width, height);
	if (FAILED(hr) || *width == 0 || *height == 0 ||
	    (uint64_t)*width * *height > IMAGE_PIXELS_MAX)
		return -EINVAL;
	hr = IWICImagingFactory_CreateFormatConverter(w->factory,
						      &w->converter);
	if (FAILED(hr))
		return -EIO;
	hr = IWICFormatConverter_Initialize(
		w->converter, (IWICBitmapSource *)w->frame, fmt,
		WICBitmapDitherTypeNone, NULL, 0.0,
		WICBitmapPaletteTypeCustom);
	return FAILED(hr) ? -EINVAL : 0;
}

int wa_image_to_dib(const uint8_t *img, size_t len, uint8_t **dib,
		    size_t *dib_len)
{
	struct wic w = { 0 };
	UINT width, height;
	int r = decode(&w, img, len, &GUID_WICPixelFormat32bppBGRA, &width,
		       &height);

	if (r == 0) {
		size_t stride = (size_t)width * 4;
		uint8_t *rows = malloc(stride * height);
		if (!rows) {
			r = -ENOMEM;
		} else if (FAILED(IWICFormatConverter_CopyPixels(
				   w.converter, NULL, (UINT)stride,
				   (UINT)(stride * height), rows))) {
			r = -EINVAL;
		} else {
			r = wa_dib_from_bgra(rows, width, height, dib,
					     dib_len);
		}
		free(rows);
	}
	wic_done(&w);
	return r;
}

/* The bytes written to the stream w->out, copied into *out. */
static int take_output(struct wic *w, uint8_t **out, size_t *out_len)
{
	LARGE_INTEGER zero = { 0 };
	ULARGE_INTEGER end;
	HGLOBAL h;

	if (FAILED(IStream_Seek(w->out, zero, STREAM_SEEK_CUR, &end)) ||
	    FAILED(GetHGlobalFromStream(w->out, &h)))
		return -EIO;
	if (end.QuadPart == 0 || end.QuadPart > GlobalSize(h))
		return -EIO;
	const void *p = GlobalLock(h);
	if (!p)
		return -EIO;
	*out = malloc((size_t)end.QuadPart);
	if (*out) {
		memcpy(*out, p, (size_t)end.QuadPart);
		*out_len = (size_t)end.QuadPart;
	}
	GlobalUnlock(h);
	return *out ? 0 : -ENOMEM;
}

static int encode_png(struct wic *w, UINT width, UINT height)
{
	WICPixelFormatGUID fmt = GUID_WICPixelFormat24bppBGR;

	if (FAILED(CreateStreamOnHGlobal(NULL, TRUE, &w->out)))
		return -ENOMEM;
	if (FAILED(IWICImagingFactory_CreateEncoder(
		    w->factory, &GUID_ContainerFormatPng, NULL, &w->encoder)) ||
	    FAILED(IWICBitmapEncoder_Initialize(w->encoder, w->out,
						WICBitmapEncoderNoCache)) ||
	    FAILED(IWICBitmapEncoder_CreateNewFrame(w->encoder, &w->frame_out,
						    NULL)) ||
	    FAILED(IWICBitmapFrameEncode_Initialize(w->frame_out, NULL)) ||
	    FAILED(IWICBitmapFrameEncode_SetSize(w->frame_out, width, height)) ||
	    FAILED(IWICBitmapFrameEncode_SetPixelFormat(w->frame_out, &fmt)) ||
	    !IsEqualGUID(&fmt, &GUID_WICPixelFormat24bppBGR) ||
	    FAILED(IWICBitmapFrameEncode_WriteSource(
		    w->frame_out, (IWICBitmapSource *)w->converter, NULL)) ||
	    FAILED(IWICBitmapFrameEncode_Commit(w->frame_out)) ||
	    FAILED(IWICBitmapEncoder_Commit(w->encoder)))
		return -EIO;
	return 0;
}

int wa_image_png_from_dib(const uint8_t *dib, size_t len, uint8_t **png,
			  size_t *png_len)
{
	struct wic w = { 0 };
	uint8_t *bmp = NULL;
	size_t bmp_len;
	UINT width, height;

	/* WIC reads BMP files: every DIB layout Windows knows */
	int r = wa_bmp_from_dib(dib, len, &bmp, &bmp_len);
	if (r == 0)
		/* the fourth byte of a CF_DIB pixel is not alpha: drop it */
		r = decode(&w, bmp, bmp_len, &GUID_WICPixelFormat24bppBGR,
			   &width, &height);
	if (r == 0)
		r = encode_png(&w, width, height);
	if (r == 0)
		r = take_output(&w, png, png_len);
	wic_done(&w);
	free(bmp);
	return r;
}
