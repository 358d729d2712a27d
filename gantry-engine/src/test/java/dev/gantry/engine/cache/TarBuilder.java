package dev.gantry.engine.cache;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Writes a zstd-compressed tar entry by entry, as an attacker would: any name, any type, any link target. */
final class TarBuilder {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    TarBuilder() {
        try {
            tar = new TarArchiveOutputStream(new ZstdOutputStream(bytes));
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TarBuilder dir(String name) throws IOException {
        tar.putArchiveEntry(new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR));
        tar.closeArchiveEntry();
        return this;
    }

    TarBuilder file(String name, String content) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
        return this;
    }

    TarBuilder link(String name, String target) throws IOException {
        return special(name, TarConstants.LF_SYMLINK, target);
    }

    TarBuilder hardLink(String name, String target) throws IOException {
        return special(name, TarConstants.LF_LINK, target);
    }

    TarBuilder special(String name, byte type, String linkName) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, type);
        if (linkName != null) {
            e.setLinkName(linkName);
        }
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        return this;
    }

    byte[] bytes() throws IOException {
        tar.close();
        return bytes.toByteArray();
    }
}
