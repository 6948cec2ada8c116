package dev.trailwatch.app.server;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * SIGTERM and SIGINT as a call, so that {@code serve} can stop in order and exit 0 (a JVM that
 * exits through its shutdown hooks on a signal reports 143 or 130). Uses {@code sun.misc.Signal}
 * from the {@code jdk.unsupported} module, looked up at run time; where it is missing, the caller
 * falls back to a shutdown hook.
 */
public final class Signals {
  private Signals() {}

  /**
   * Calls {@code action} (on a signal thread) on SIGTERM and SIGINT. Returns false when signals
   * cannot be handled on this JVM.
   */
  public static boolean onTerminate(Runnable action) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      InvocationHandler ih =
          (Object proxy, Method method, Object[] args) -> {
            if (method.getName().equals("handle")) {
              action.run();
              return null;
            }
            if (method.getName().equals("toString")) {
              return "trailwatch-terminate";
            }
            if (method.getName().equals("hashCode")) {
              return System.identityHashCode(proxy);
            }
            if (method.getName().equals("equals")) {
              return proxy == args[0];
            }
            return null;
          };
      Object handler =
          Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass}, ih);
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      for (String name : new String[] {"TERM", "INT"}) {
        Object signal = signalClass.getConstructor(String.class).newInstance(name);
        handle.invoke(null, signal, handler);
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return false;
    }
  }
}
